package dev.inlay.runtime;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.HexFormat;

/**
 * SHA-256 of the files the agent checks at startup (the pinned policy). {@code MessageDigest.getInstance("SHA-256")}
 * first reads the security properties and instantiates the configured providers, tens of milliseconds before the
 * application's main(); a provider of one service that names the JDK's own implementation class skips that. The
 * digest is the JDK's either way: when that class is missing (another JDK), the standard lookup is used.
 */
final class Sha256 {
    private static final String JDK_IMPLEMENTATION = "sun.security.provider.SHA2$SHA256";

    private Sha256() {}

    /** {@code sha256:} and the lowercase hex digest. */
    static String of(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(digest().digest(bytes));
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256", new JdkSha256());
        } catch (NoSuchAlgorithmException | RuntimeException | LinkageError e) {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException impossible) {
                throw new IllegalStateException("every JDK has SHA-256", impossible);
            }
        }
    }

    private static final class JdkSha256 extends Provider {
        private static final long serialVersionUID = 1L;

        JdkSha256() {
            super("inlay-sha256", "1", "the JDK's SHA-256 without the provider list");
            putService(new Service(this, "MessageDigest", "SHA-256", JDK_IMPLEMENTATION, null, null));
        }
    }
}
