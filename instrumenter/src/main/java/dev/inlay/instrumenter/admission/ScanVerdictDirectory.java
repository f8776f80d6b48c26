package dev.inlay.instrumenter.admission;

import dev.inlay.scanner.gate.ScanVerdict;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Scan verdicts kept as one JSON file per manifest digest in a directory: {@code DIR/sha256-HEX.json} holding
 * <pre>{"apiVersion":"inlay.dev/v1","kind":"ScanVerdict","digest":"sha256:HEX","passed":false,
 *  "reasons":["CVE-2021-44228 (critical) in ..."], ...}</pre>
 * (docs/DEPLOY.md, "Scan verdicts"). Files are read on every lookup: the ship phase rewrites them when it re-scans,
 * and a verdict that changed must count at the next admission, not after a restart.
 */
public final class ScanVerdictDirectory implements ScanVerdicts {
    /** A verdict is a few lines; a file far larger than any verdict is refused instead of read. */
    static final int MAX_FILE_BYTES = 1024 * 1024;

    private final Path directory;

    public ScanVerdictDirectory(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /** The file a verdict for {@code digest} is kept in ({@code sha256-HEX.json}: no colon, which some file systems refuse). */
    public static String fileName(String digest) {
        return ScanVerdict.fileName(digest);
    }

    @Override
    public Optional<ScanVerdict> forDigest(String manifestDigest) {
        if (!isSha256Digest(manifestDigest)) {
            return Optional.of(failed(manifestDigest, "not a sha256 digest: " + manifestDigest, directory.toString()));
        }
        Path file = directory.resolve(fileName(manifestDigest));
        String where = file.toString();
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(failed(manifestDigest, "scan verdict " + where + " cannot be read: " + e, where));
        }
        if (bytes.length > MAX_FILE_BYTES) {
            return Optional.of(failed(
                    manifestDigest, "scan verdict " + where + " is larger than " + MAX_FILE_BYTES + " bytes", where));
        }
        try {
            return Optional.of(parse(bytes, manifestDigest, where));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.of(
                    failed(manifestDigest, "scan verdict " + where + " is malformed: " + e.getMessage(), where));
        }
    }

    static ScanVerdict parse(byte[] bytes, String expectedDigest, String where) throws IOException {
        return ScanVerdict.parse(bytes, expectedDigest, where);
    }

    /** Writes a verdict, atomically: admission never reads half of one. */
    public void write(ScanVerdict verdict) throws IOException {
        Files.createDirectories(directory);
        Path target = directory.resolve(fileName(verdict.digest()));
        Path tmp = Files.createTempFile(directory, ".verdict-", ".tmp");
        try {
            Files.write(tmp, verdict.json());
            Files.move(
                    tmp,
                    target,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static ScanVerdict failed(String digest, String reason, String where) {
        return new ScanVerdict(digest, false, List.of(reason), where);
    }

    static boolean isSha256Digest(String digest) {
        if (digest == null || digest.length() != 71 || !digest.startsWith("sha256:")) return false;
        for (int i = 7; i < digest.length(); i++) {
            char c = digest.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
        }
        return true;
    }
}
