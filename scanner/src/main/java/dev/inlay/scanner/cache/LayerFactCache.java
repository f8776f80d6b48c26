package dev.inlay.scanner.cache;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Facts computed from content that never changes once its digest is known, kept on disk by that digest: a layer's
 * inventory and filesystem facts by the layer's diff_id (the digest of its uncompressed tar: the same content gives
 * the same facts, whatever the compression), a JDK's hooked classes by a digest of its class image and the agent. A
 * layer shared by many images is read once.
 *
 * <p>Each kind of fact has its own directory and format version: {@code DIR/KIND-vVERSION/BUILD/sha256/HEX.EXT},
 * where BUILD names the build of inlay that computed it (see {@link #BUILD}): a fact computed by another build, whose
 * inventory may identify components differently, is never read.
 *
 * <p>Properties (docs/WRAPPING.md, "The layer cache"):
 * <ul>
 *   <li><b>verifiable</b>: each entry starts with a header naming its key and the sha256 of key and body; an entry
 *       whose header is not that of the key asked for (copied or renamed from another), or whose body does not hash to
 *       its checksum (truncated, flipped bytes), or that does not parse, is ignored, deleted and recomputed. The
 *       checksum detects damage and misplacement, not forgery: whoever can write the directory decides what inlay
 *       reads from it, like whoever can write the inlay jar;
 *   <li><b>safe under concurrent runs</b>: an entry is written to a temporary file in its directory and renamed over
 *       the final name atomically, so a reader sees a whole entry or none;
 *   <li><b>bounded</b>: after each write, the least recently used entries (by modification time, which a read
 *       refreshes) are deleted until the whole directory is within its maximum size.
 * </ul>
 */
public final class LayerFactCache {
    /** Overrides the directory; {@code --cache-dir} overrides this. */
    public static final String ENV = "INLAY_CACHE_DIR";
    /** Overrides the maximum size ({@code 512M}, {@code 2G}, bytes); {@code --cache-max-size} overrides this. */
    public static final String MAX_SIZE_ENV = "INLAY_CACHE_MAX_SIZE";

    public static final long DEFAULT_MAX_BYTES = 512L << 20;

    private static final String MAGIC = "inlay-cache-entry 1";
    /** A temporary file older than this is what a killed run left behind. */
    private static final long STALE_TEMP_MILLIS = 3_600_000L;
    /** An entry is a few MB at most (a large layer's file list); a larger file is not an entry of ours. */
    private static final long MAX_ENTRY_BYTES = 256L << 20;

    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern KEY =
            Pattern.compile("([a-z][a-z0-9-]*)-v([0-9]+)/([A-Za-z0-9._-]+)/sha256:([0-9a-f]{64})");
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
    private final long maxBytes;

    public LayerFactCache(Path dir) {
        this(dir, BUILD);
    }

    /** A cache whose entries are those of {@code build} (tests: another build's entries). */
    public LayerFactCache(Path dir, String build) {
        this(dir, build, DEFAULT_MAX_BYTES);
    }

    public LayerFactCache(Path dir, String build, long maxBytes) {
        if (maxBytes <= 0) throw new IllegalArgumentException("the cache's maximum size must be positive");
        this.dir = dir;
        this.build = build;
        this.maxBytes = maxBytes;
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
     * else {@code ~/.cache/inlay/layers}; its maximum size from {@code $INLAY_CACHE_MAX_SIZE}, else 512 MiB.
     */
    public static LayerFactCache locate(Path override, Map<String, String> env) {
        return locate(override, null, env);
    }

    /** @param maxSize the maximum size as typed ({@code 512M}), or null for the environment's or the default */
    public static LayerFactCache locate(Path override, String maxSize, Map<String, String> env) {
        String size = maxSize != null ? maxSize : env.get(MAX_SIZE_ENV);
        long max = size == null || size.isEmpty() ? DEFAULT_MAX_BYTES : parseSize(size);
        if (override != null) return new LayerFactCache(override, BUILD, max);
        String explicit = env.get(ENV);
        if (explicit != null && !explicit.isEmpty()) return new LayerFactCache(Path.of(explicit), BUILD, max);
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty()
                ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".cache");
        return new LayerFactCache(base.resolve("inlay").resolve("layers"), BUILD, max);
    }

    /** {@code 1048576}, {@code 512K}, {@code 512M}, {@code 2G} (powers of 1024; a trailing {@code iB} or {@code B} is allowed). */
    public static long parseSize(String text) {
        Matcher m = Pattern.compile("([0-9]{1,15})\\s*([KMGT]?)(i?B)?")
                .matcher(text.trim().toUpperCase(Locale.ROOT).replace("IB", "iB"));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: '" + text + "' (examples: 536870912, 512M, 2G)");
        }
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        if (n == 0 || n > (Long.MAX_VALUE >> shift)) throw new IllegalArgumentException("not a usable size: " + text);
        return n << shift;
    }

    public Path directory() {
        return dir;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The key of an entry, as its header states it. */
    private String key(String kind, int version, String digest) {
        if (!KIND.matcher(kind).matches()) throw new IllegalArgumentException("not a fact kind: " + kind);
        if (!DIGEST.matcher(digest).matches()) throw new IllegalArgumentException("not a sha256 digest: " + digest);
        return kind + "-v" + version + "/" + build + "/" + digest;
    }

    /** Where the entry of a key is: {@code KIND-vVERSION/BUILD/sha256/HEX.EXT}. */
    private Path file(String key, String ext) {
        Matcher m = KEY.matcher(key);
        if (!m.matches()) throw new IllegalArgumentException("not a cache key: " + key);
        return dir.resolve(m.group(1) + "-v" + m.group(2))
                .resolve(m.group(3))
                .resolve("sha256")
                .resolve(m.group(4) + "." + ext);
    }

    /** The cached fact, or empty when there is none or it is not a whole, verified entry (then it is recomputed). */
    public <T> Optional<T> read(String kind, int version, String digest, Class<T> type) {
        Optional<byte[]> body = readBody(key(kind, version, digest), "json");
        if (body.isEmpty()) return Optional.empty();
        try {
            return Optional.ofNullable(MAPPER.readValue(body.get(), type));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Stores a fact; a failure to write (read-only home, full disk) only costs the next run a re-read. */
    public boolean write(String kind, int version, String digest, Object fact) {
        byte[] body;
        try {
            body = MAPPER.writeValueAsBytes(fact);
        } catch (IOException e) {
            return false;
        }
        return writeBody(key(kind, version, digest), "json", body);
    }

    /** The cached bytes, or empty (see {@link #read}). */
    public Optional<byte[]> readBytes(String kind, int version, String digest) {
        return readBody(key(kind, version, digest), "bin");
    }

    public boolean writeBytes(String kind, int version, String digest, byte[] body) {
        return writeBody(key(kind, version, digest), "bin", body);
    }

    private Optional<byte[]> readBody(String key, String ext) {
        Path file = file(key, ext);
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_ENTRY_BYTES) return Optional.empty();
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return Optional.empty();
        }
        Entry entry = Entry.parse(bytes);
        if (entry == null || !entry.key.equals(key) || !entry.ext.equals(ext)) {
            // damaged, or another key's entry under this name: never trusted, and out of the way of the rewrite
            deleteQuietly(file);
            return Optional.empty();
        }
        try {
            // a read is a use: the least recently used entries go first
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException ignored) {
            // a read-only cache still serves reads; its order of eviction is its writer's
        }
        return Optional.of(entry.body);
    }

    private boolean writeBody(String key, String ext, byte[] body) {
        Path file = file(key, ext);
        if (!writeAtomically(file, Entry.format(key, ext, body))) return false;
        trim();
        return true;
    }

    private static boolean writeAtomically(Path file, byte[] bytes) {
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            tmp = Files.createTempFile(file.getParent(), ".tmp-", ".part");
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            if (tmp != null) deleteQuietly(tmp);
            return false;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // left behind; it fails verification again next time
        }
    }

    // ---- size, eviction, listing

    /** One file of the cache: its path relative to the directory, size and last use. */
    public record Stored(Path file, String relative, long size, long lastUsedMillis) {}

    /** What the directory holds, entries of every build. */
    public record Info(Path directory, long bytes, int entries, long maxBytes) {}

    public Info info() {
        List<Stored> all = stored();
        long bytes = 0;
        for (Stored s : all) bytes += s.size;
        return new Info(dir, bytes, all.size(), maxBytes);
    }

    /** Every entry file (temporary files and foreign files left out), oldest use first. */
    public List<Stored> stored() {
        List<Stored> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (!Files.isRegularFile(p) || name.startsWith(".tmp-")) continue;
                String relative = dir.relativize(p).toString().replace('\\', '/');
                if (!relative.matches("[a-z][a-z0-9-]*-v[0-9]+/[A-Za-z0-9._-]+/sha256/[0-9a-f]{64}\\.(json|bin)"))
                    continue;
                try {
                    out.add(new Stored(
                            p,
                            relative,
                            Files.size(p),
                            Files.getLastModifiedTime(p).toMillis()));
                } catch (NoSuchFileException gone) {
                    // another run evicted it meanwhile
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return out;
        }
        out.sort(Comparator.comparingLong(Stored::lastUsedMillis).thenComparing(Stored::relative));
        return out;
    }

    /**
     * Deletes the least recently used entries until the cache is within its maximum size, and temporary files a killed
     * run left. Two runs trimming at once may both delete; a reader of a deleted entry recomputes it.
     */
    public int trim() {
        removeStaleTemporaries();
        List<Stored> all = stored();
        long total = 0;
        for (Stored s : all) total += s.size;
        int removed = 0;
        for (Stored s : all) {
            if (total <= maxBytes) break;
            deleteQuietly(s.file);
            total -= s.size;
            removed++;
        }
        return removed;
    }

    private void removeStaleTemporaries() {
        if (!Files.isDirectory(dir)) return;
        long before = System.currentTimeMillis() - STALE_TEMP_MILLIS;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (!p.getFileName().toString().startsWith(".tmp-")) continue;
                try {
                    if (Files.getLastModifiedTime(p).toMillis() < before) Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // another run removed or renamed it
                }
            }
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // nothing to clean
        }
    }

    /** Deletes every entry (of every build); returns how many. */
    public int clear() throws IOException {
        int n = 0;
        for (Stored s : stored()) {
            Files.deleteIfExists(s.file);
            n++;
        }
        removeStaleTemporaries();
        return n;
    }

    // ---- sharing

    /** What an import did: entries taken, and entries refused (not whole, not verified, or not ours). */
    public record Imported(int entries, int refused, List<String> problems) {}

    /** Writes every verified entry (of every build) to a tar; returns how many. */
    public int exportTo(OutputStream out) throws IOException {
        int n = 0;
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosing(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Stored s : stored()) {
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(s.file);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                Entry entry = Entry.parse(bytes);
                // only what a reader would accept: a damaged entry is not passed on to another machine
                if (entry == null || !s.relative.equals(relativePath(entry.key, entry.ext))) continue;
                TarArchiveEntry e = new TarArchiveEntry(s.relative);
                e.setSize(bytes.length);
                e.setModTime(s.lastUsedMillis);
                e.setMode(0100644);
                tar.putArchiveEntry(e);
                tar.write(bytes);
                tar.closeArchiveEntry();
                n++;
            }
            tar.finish();
        }
        return n;
    }

    /**
     * Reads a tar written by {@link #exportTo}: each entry is verified (header, checksum) and stored under the key its
     * header names, never under the tar's name for it; anything else is refused and counted.
     */
    public Imported importFrom(InputStream in) throws IOException {
        int taken = 0;
        int refused = 0;
        List<String> problems = new ArrayList<>();
        long[] read = {0};
        InputStream counted = new java.io.FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) read[0] += n;
                return n;
            }
        };
        try (TarArchiveInputStream tar = new TarArchiveInputStream(counted)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isDirectory()) continue;
                String name = e.getName();
                if (!e.isFile() || e.getSize() > MAX_ENTRY_BYTES) {
                    refused++;
                    problems.add(name + ": not a cache entry");
                    continue;
                }
                byte[] bytes = tar.readAllBytes();
                Entry entry = Entry.parse(bytes);
                if (entry == null) {
                    refused++;
                    problems.add(name + ": damaged (its checksum or header does not verify)");
                    continue;
                }
                String relative = relativePath(entry.key, entry.ext);
                if (!relative.equals(name)) {
                    refused++;
                    problems.add(name + ": its header names another entry (" + entry.key + ")");
                    continue;
                }
                if (writeAtomically(file(entry.key, entry.ext), bytes)) taken++;
                else {
                    refused++;
                    problems.add(name + ": cannot be written to " + dir);
                }
            }
            // a tar ends with two zero blocks; anything shorter that yielded no entry was not a tar at all
            if (taken + refused == 0 && read[0] < 1024) throw new IOException("too short to be a tar");
        } catch (IOException | RuntimeException e) {
            throw new IOException("not a tar of inlay cache entries: " + e.getMessage(), e);
        }
        trim();
        return new Imported(taken, refused, problems);
    }

    private String relativePath(String key, String ext) {
        return dir.relativize(file(key, ext)).toString().replace('\\', '/');
    }

    /** Keeps a tar writer from closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    /**
     * One entry's bytes: {@code inlay-cache-entry 1\nkey KEY\nbody EXT\nlength N\nsha256 HEX\n\n} then the body, where
     * HEX is the sha256 of {@code KEY\n} followed by the body.
     */
    private record Entry(String key, String ext, byte[] body) {
        static byte[] format(String key, String ext, byte[] body) {
            String header = MAGIC + "\nkey " + key + "\nbody " + ext + "\nlength " + body.length + "\nsha256 "
                    + checksum(key, body) + "\n\n";
            ByteArrayOutputStream out = new ByteArrayOutputStream(header.length() + body.length);
            out.writeBytes(header.getBytes(StandardCharsets.UTF_8));
            out.writeBytes(body);
            return out.toByteArray();
        }

        /** The entry, or null when the bytes are not a whole entry whose body verifies. */
        static Entry parse(byte[] bytes) {
            int end = -1;
            for (int i = 0; i + 1 < bytes.length && i < 4096; i++) {
                if (bytes[i] == '\n' && bytes[i + 1] == '\n') {
                    end = i;
                    break;
                }
            }
            if (end < 0) return null;
            String[] lines = new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n");
            if (lines.length != 5
                    || !lines[0].equals(MAGIC)
                    || !lines[1].startsWith("key ")
                    || !lines[2].startsWith("body ")
                    || !lines[3].startsWith("length ")
                    || !lines[4].startsWith("sha256 ")) return null;
            String key = lines[1].substring(4);
            String ext = lines[2].substring(5);
            if (!KEY.matcher(key).matches() || !(ext.equals("json") || ext.equals("bin"))) return null;
            long length;
            try {
                length = Long.parseLong(lines[3].substring(7));
            } catch (NumberFormatException e) {
                return null;
            }
            int start = end + 2;
            if (length != bytes.length - (long) start) return null;
            byte[] body = java.util.Arrays.copyOfRange(bytes, start, bytes.length);
            if (!MessageDigest.isEqual(
                    checksum(key, body).getBytes(StandardCharsets.US_ASCII),
                    lines[4].substring(7).getBytes(StandardCharsets.US_ASCII))) return null;
            return new Entry(key, ext, body);
        }

        static String checksum(String key, byte[] body) {
            try {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                md.update((key + "\n").getBytes(StandardCharsets.UTF_8));
                md.update(body);
                return HexFormat.of().formatHex(md.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
