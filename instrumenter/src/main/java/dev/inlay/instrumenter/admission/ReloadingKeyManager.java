package dev.inlay.instrumenter.admission;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The server's certificate and key, read again when either file changes (cert-manager renews a Secret, the kubelet
 * swaps the mounted files), without a restart. Checked at each TLS handshake (two file-time reads); a new pair is
 * used only once both files load and the key is the certificate's, so a rotation caught half-way keeps the old pair
 * until the next handshake. Each pair has its own alias, so one handshake never mixes an old key with a new
 * certificate.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
    private record Pair(String alias, X509Certificate[] chain, PrivateKey key, FileTime certTime, FileTime keyTime) {}

    private final Path certFile;
    private final Path keyFile;
    private final PrintStream log;
    private volatile Pair current;
    private volatile Pair previous;
    private int generation;
    /** The file times of the last pair that failed to load, so that a broken rotation is reported once. */
    private FileTime failedCertTime;

    private FileTime failedKeyTime;

    /** Loads the pair now; a bad pair at start is an error (exit 3), not something to retry. */
    ReloadingKeyManager(Path certFile, Path keyFile, PrintStream log) throws IOException {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.log = log;
        this.current = load(Files.getLastModifiedTime(certFile), Files.getLastModifiedTime(keyFile));
    }

    private Pair load(FileTime certTime, FileTime keyTime) throws IOException {
        List<X509Certificate> chain = PemFiles.certificates(certFile);
        PrivateKey key = PemFiles.privateKey(keyFile);
        if (!PemFiles.matches(key, chain.get(0))) {
            throw new dev.inlay.instrumenter.BadInputException(
                    keyFile + " is not the private key of the certificate in " + certFile
                            + " (the first certificate must be the server's own)");
        }
        return new Pair(
                "inlay-admission-" + (generation++), chain.toArray(new X509Certificate[0]), key, certTime, keyTime);
    }

    private synchronized void reloadIfChanged() {
        FileTime certTime;
        FileTime keyTime;
        try {
            certTime = Files.getLastModifiedTime(certFile);
            keyTime = Files.getLastModifiedTime(keyFile);
        } catch (IOException e) {
            return; // between the removal and the creation of a file: keep serving the pair in memory
        }
        Pair pair = current;
        if (certTime.equals(pair.certTime()) && keyTime.equals(pair.keyTime())) return;
        if (certTime.equals(failedCertTime) && keyTime.equals(failedKeyTime)) return;
        try {
            Pair loaded = load(certTime, keyTime);
            previous = pair;
            current = loaded;
            failedCertTime = null;
            failedKeyTime = null;
            log.println("inlay admission: certificate reloaded from " + certFile + " (subject "
                    + loaded.chain()[0].getSubjectX500Principal().getName() + ", valid until "
                    + loaded.chain()[0].getNotAfter().toInstant() + ")");
        } catch (IOException | RuntimeException e) {
            failedCertTime = certTime;
            failedKeyTime = keyTime;
            log.println("inlay admission: keeping the certificate in use; the changed files do not load: "
                    + e.getMessage());
        }
    }

    private Pair pair(String alias) {
        Pair c = current;
        if (c.alias().equals(alias)) return c;
        Pair p = previous;
        return p != null && p.alias().equals(alias) ? p : null;
    }

    /** Whether JSSE's key type ({@code RSA}, {@code EC}, {@code RSASSA-PSS}, {@code EC_RSA} in TLS 1.2...) fits the key. */
    private static boolean fits(String keyType, PrivateKey key) {
        if (keyType == null) return false;
        String type = keyType.contains("_") ? keyType.substring(0, keyType.indexOf('_')) : keyType;
        String algorithm = key.getAlgorithm();
        return type.equals(algorithm)
                || (type.equals("RSASSA-PSS") && algorithm.equals("RSA"))
                || (type.equals("EdDSA") && algorithm.equals("Ed25519"))
                || (type.equals("Ed25519") && algorithm.equals("EdDSA"));
    }

    private String choose(String[] keyTypes) {
        reloadIfChanged();
        Pair c = current;
        if (keyTypes == null) return null;
        for (String t : keyTypes) if (fits(t, c.key())) return c.alias();
        return null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(new String[] {keyType});
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(new String[] {keyType});
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        Pair c = current;
        return fits(keyType, c.key()) ? new String[] {c.alias()} : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Pair p = pair(alias);
        return p == null ? null : p.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Pair p = pair(alias);
        return p == null ? null : p.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }

    @Override
    public String toString() {
        return "certificate " + certFile + ", key " + keyFile + " ("
                + Objects.requireNonNull(current).alias() + ")";
    }
}
