package dev.inlay.scanner.cache;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Facts computed from one layer's bytes, kept on disk by the layer's diff_id (the digest of its uncompressed tar: the
 * same content gives the same facts, whatever the compression), so that a layer shared by many images is read once.
 * Each kind of fact (the inventory today) has its own directory and format version:
 * {@code DIR/KIND-vVERSION/BUILD/sha256/HEX.json}, where BUILD names the build of inlay that computed it (see
 * {@link #BUILD}): a fact computed by another build, whose inventory may identify components differently, is never
 * read. Safe under concurrent runs: an entry is written to a temporary file in the
 * same directory and renamed over the final name atomically; an entry that does not parse is ignored and recomputed.
 */
public final class LayerFactCache {
    /** Overrides the directory; {@code --cache-dir} overrides this. */
    public static final String ENV = "INLAY_CACHE_DIR";

    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final ObjectMapper MAPPER =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /**
     * This build of inlay: the size and modification time of the jar (or class directory) holding this class. A
     * format version alone did not do: the inventory changed within one version, and a wrap read another build's
     * entries and wrote a different SBOM than {@code inlay sbom} (the end-to-end story caught it).
     */
    public static final String BUILD = build();

    private final Path dir;
    private final String build;

    public LayerFactCache(Path dir) {
        this(dir, BUILD);
    }

    /** A cache whose entries are those of {@code build} (tests: another build's entries). */
    public LayerFactCache(Path dir, String build) {
        this.dir = dir;
        this.build = build;
    }

    private static String build() {
        try {
            java.net.URL where =
                    LayerFactCache.class.getProtectionDomain().getCodeSource().getLocation();
            java.io.File code = new java.io.File(where.toURI());
            return "b" + Long.toHexString(code.length()) + "-" + Long.toHexString(code.lastModified());
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return "unknown"; // no code source to name: entries are shared with other builds that have none either
        }
    }

    /**
     * The directory: {@code override} if given, else {@code $INLAY_CACHE_DIR}, else {@code $XDG_CACHE_HOME/inlay/layers},
     * else {@code ~/.cache/inlay/layers}.
     */
    public static LayerFactCache locate(Path override, Map<String, String> env) {
        if (override != null) return new LayerFactCache(override);
        String explicit = env.get(ENV);
        if (explicit != null && !explicit.isEmpty()) return new LayerFactCache(Path.of(explicit));
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty()
                ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".cache");
        return new LayerFactCache(base.resolve("inlay").resolve("layers"));
    }

    public Path directory() {
        return dir;
    }

    private Path entry(String kind, int version, String diffId) {
        if (!DIGEST.matcher(diffId).matches())
            throw new IllegalArgumentException("not a sha256 layer digest: " + diffId);
        return dir.resolve(kind + "-v" + version)
                .resolve(build)
                .resolve("sha256")
                .resolve(diffId.substring("sha256:".length()) + ".json");
    }

    /** The cached fact, or empty when there is none or it is unreadable (then it is recomputed and overwritten). */
    public <T> Optional<T> read(String kind, int version, String diffId, Class<T> type) {
        Path file = entry(kind, version, diffId);
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            return Optional.ofNullable(MAPPER.readValue(file.toFile(), type));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Stores a fact; a failure to write (read-only home, full disk) only costs the next run a re-read. */
    public boolean write(String kind, int version, String diffId, Object fact) {
        Path file = entry(kind, version, diffId);
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            tmp = Files.createTempFile(file.getParent(), ".tmp-", ".json");
            MAPPER.writeValue(tmp.toFile(), fact);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file is left behind; it is never read
                }
            }
            return false;
        }
    }
}
