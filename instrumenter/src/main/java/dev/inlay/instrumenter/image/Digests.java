package dev.inlay.instrumenter.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** sha256 content digests in the {@code sha256:<hex>} form that manifests use. */
public final class Digests {
    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

    private Digests() {}

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public static String of(byte[] bytes) {
        return format(sha256().digest(bytes));
    }

    public static String format(byte[] hash) {
        return "sha256:" + HexFormat.of().formatHex(hash);
    }

    /** Reads the stream to its end. */
    public static String of(InputStream in) throws IOException {
        MessageDigest md = sha256();
        try (DigestOutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), md)) {
            in.transferTo(out);
        }
        return format(md.digest());
    }

    /** Rejects anything but a well-formed sha256 digest: digests become file names, so this is a safety check. */
    public static String requireValid(String digest, String what) {
        if (digest == null || !SHA256.matcher(digest).matches()) {
            throw new MalformedImageException(what + ": not a sha256 digest: " + digest);
        }
        return digest;
    }

    public static String hex(String digest) {
        return requireValid(digest, "digest").substring("sha256:".length());
    }
}
