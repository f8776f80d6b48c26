package dev.inlay.instrumenter.admission;

import dev.inlay.instrumenter.BadInputException;

import javax.net.ssl.SSLContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** PEM certificates and PKCS#8 private keys, as cert-manager and {@code openssl genpkey} write them. */
public final class PemFiles {
    private PemFiles() {}

    /** The {@code -----BEGIN label-----} blocks of a PEM file, decoded, in order. */
    static List<byte[]> blocks(String text, String label) {
        List<byte[]> blocks = new ArrayList<>();
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = 0;
        while (true) {
            int b = text.indexOf(begin, from);
            if (b < 0) return blocks;
            int e = text.indexOf(end, b);
            if (e < 0) throw new IllegalArgumentException("a " + label + " block without its END line");
            String body = text.substring(b + begin.length(), e).replaceAll("\\s", "");
            blocks.add(Base64.getDecoder().decode(body));
            from = e + end.length();
        }
    }

    /** Every certificate in a PEM file (a server certificate followed by its intermediates, or a CA bundle). */
    public static List<X509Certificate> certificates(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (byte[] der : blocks(text, "CERTIFICATE")) {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new BadInputException(file + ": not a PEM certificate: " + e.getMessage(), e);
        }
        if (certificates.isEmpty())
            throw new BadInputException(file + ": no PEM certificate (-----BEGIN CERTIFICATE-----) in it");
        return certificates;
    }

    /** A PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}): RSA, EC or Ed25519. */
    public static PrivateKey privateKey(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        List<byte[]> blocks;
        try {
            blocks = blocks(text, "PRIVATE KEY");
        } catch (IllegalArgumentException e) {
            throw new BadInputException(file + ": not a PEM private key: " + e.getMessage(), e);
        }
        if (blocks.isEmpty()) {
            String hint =
                    text.contains("-----BEGIN RSA PRIVATE KEY-----") || text.contains("-----BEGIN EC PRIVATE KEY-----")
                            ? " (this is a PKCS#1/SEC1 key: convert it with 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8')"
                            : text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
                                    ? " (it is encrypted: give an unencrypted one)"
                                    : "";
            throw new BadInputException(file + ": no PKCS#8 private key (-----BEGIN PRIVATE KEY-----) in it" + hint);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(blocks.get(0));
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException tryNext) {
                // not this algorithm
            }
        }
        throw new BadInputException(file + ": a private key that is neither RSA, EC nor Ed25519");
    }

    /** Whether the key signs what the certificate's public key verifies: a mismatch would only fail at each handshake. */
    static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] probe = "inlay admission key check".getBytes(StandardCharsets.US_ASCII);
            java.security.Signature signer = java.security.Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * A TLS server context presenting {@code certificateFile}'s chain with {@code keyFile}'s key, read again when the
     * files change ({@link ReloadingKeyManager}).
     */
    public static SSLContext serverContext(Path certificateFile, Path keyFile, java.io.PrintStream log)
            throws IOException {
        ReloadingKeyManager keys = new ReloadingKeyManager(certificateFile, keyFile, log);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new javax.net.ssl.KeyManager[] {keys}, null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JDK: " + e, e);
        }
    }
}
