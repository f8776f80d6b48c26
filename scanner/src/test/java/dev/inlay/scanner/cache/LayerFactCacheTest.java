package dev.inlay.scanner.cache;

import dev.inlay.scanner.inventory.LayerInventory;
import dev.inlay.scanner.inventory.LayerScanner;
import dev.inlay.scanner.inventory.TestJars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerFactCacheTest {
    private static final String DIFF_ID = "sha256:" + "d".repeat(64);

    @TempDir
    Path dir;

    /** The inventory the cache holds for {@link #DIFF_ID}, when it has a valid one. */
    private static Optional<LayerInventory> readInventory(LayerFactCache cache) {
        return cache.read(LayerInventory.KIND, LayerInventory.VERSION, DIFF_ID, LayerInventory.class);
    }

    private static boolean writeInventory(LayerFactCache cache, LayerInventory inventory) {
        return cache.write(LayerInventory.KIND, LayerInventory.VERSION, DIFF_ID, inventory);
    }

    private static LayerInventory inventory() throws IOException {
        LayerScanner s = new LayerScanner();
        byte[] jar = new TestJars()
                .pom("org.apache.logging.log4j", "log4j-core", "2.14.1")
                .build();
        s.file("/app/log4j-core-2.14.1.jar", jar.length, new ByteArrayInputStream(jar));
        s.whiteout("/app/old.jar");
        s.opaque("/srv");
        return s.finish();
    }

    @Test
    void anInventoryRoundTripsByLayerDigest() throws IOException {
        LayerFactCache cache = new LayerFactCache(dir);
        LayerInventory written = inventory();
        assertTrue(writeInventory(cache, written));
        assertTrue(Files.isRegularFile(
                dir.resolve("inventory-v1/" + LayerFactCache.BUILD + "/sha256/" + "d".repeat(64) + ".json")));
        assertEquals(Optional.of(written), readInventory(cache));
        assertEquals(
                Optional.empty(),
                cache.read(
                        LayerInventory.KIND, LayerInventory.VERSION, "sha256:" + "e".repeat(64), LayerInventory.class));
    }

    /** An entry another build of inlay computed is not read: its inventory may identify components otherwise. */
    @Test
    void anotherBuildsEntryIsNotRead() throws IOException {
        LayerFactCache other = new LayerFactCache(dir, "b1-2");
        assertTrue(writeInventory(other, inventory()));
        assertEquals(Optional.of(inventory()), readInventory(other));
        assertEquals(Optional.empty(), readInventory(new LayerFactCache(dir)));
    }

    @Test
    void aCorruptEntryIsIgnoredAndOverwritten() throws IOException {
        LayerFactCache cache = new LayerFactCache(dir);
        Path entry = entryFile("d");
        Files.createDirectories(entry.getParent());
        Files.writeString(entry, "{\"removed\":[\"/a\"],\"opaqueDirs\":[],\"fi");
        assertReadsAsNoneThenRewritten(cache);
    }

    @Test
    void concurrentWritersLeaveOneWholeEntryAndNoTemporaryFiles() throws Exception {
        LayerFactCache cache = new LayerFactCache(dir);
        LayerInventory inventory = inventory();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> writes = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                writes.add(pool.submit(() -> writeInventory(cache, inventory)));
                writes.add(pool.submit(() -> {
                    Optional<LayerInventory> read = readInventory(cache);
                    return read.isEmpty() || read.get().equals(inventory);
                }));
            }
            for (Future<Boolean> w : writes) assertTrue(w.get());
        } finally {
            pool.shutdown();
        }
        try (Stream<Path> files = Files.list(dir.resolve("inventory-v1/" + LayerFactCache.BUILD + "/sha256"))) {
            assertEquals(
                    List.of("d".repeat(64) + ".json"),
                    files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void theDirectoryComesFromTheFlagThenTheEnvironment() {
        assertEquals(
                Path.of("/flag"),
                LayerFactCache.locate(Path.of("/flag"), Map.of(LayerFactCache.ENV, "/env"))
                        .directory());
        assertEquals(
                Path.of("/env"),
                LayerFactCache.locate(null, Map.of(LayerFactCache.ENV, "/env", "XDG_CACHE_HOME", "/xdg"))
                        .directory());
        assertEquals(
                Path.of("/xdg/inlay/layers"),
                LayerFactCache.locate(null, Map.of("XDG_CACHE_HOME", "/xdg")).directory());
        assertEquals(
                Path.of("/home/u/.cache/inlay/layers"),
                LayerFactCache.locate(null, Map.of("HOME", "/home/u")).directory());
    }

    /** The test's entry, damaged, reads as none; a write then stores it whole again. */
    private static void assertReadsAsNoneThenRewritten(LayerFactCache cache) throws IOException {
        assertEquals(Optional.empty(), readInventory(cache));
        assertTrue(writeInventory(cache, inventory()));
        assertEquals(Optional.of(inventory()), readInventory(cache));
    }

    private Path entryFile(String hexChar) {
        return dir.resolve("inventory-v1/" + LayerFactCache.BUILD + "/sha256/" + hexChar.repeat(64) + ".json");
    }

    /** A byte flipped anywhere in an entry (a damaged disk, a truncated copy) is detected, never trusted. */
    @Test
    void aDamagedEntryIsNeverTrustedAndIsRecomputed() throws IOException {
        LayerFactCache cache = new LayerFactCache(dir);
        assertTrue(writeInventory(cache, inventory()));
        byte[] whole = Files.readAllBytes(entryFile("d"));
        // inside the body's JSON text: a changed character keeps it valid JSON, only the checksum catches it
        String text = new String(whole, java.nio.charset.StandardCharsets.UTF_8);
        int at = text.indexOf("log4j-core");
        assertTrue(at > 0, text);
        byte[] damaged = whole.clone();
        damaged[at] = 'L';
        Files.write(entryFile("d"), damaged);
        assertEquals(Optional.empty(), readInventory(cache));
        assertTrue(Files.notExists(entryFile("d")), "the damaged entry is removed");
        // truncated
        assertTrue(writeInventory(cache, inventory()));
        Files.write(entryFile("d"), java.util.Arrays.copyOf(whole, whole.length - 1));
        assertReadsAsNoneThenRewritten(cache);
    }

    /** An entry copied under another layer's name is that other layer's facts: ignored. */
    @Test
    void anEntryUnderAnotherKeysNameIsIgnored() throws IOException {
        LayerFactCache cache = new LayerFactCache(dir);
        assertTrue(writeInventory(cache, inventory()));
        Files.copy(entryFile("d"), entryFile("e"));
        assertEquals(
                Optional.empty(),
                cache.read(
                        LayerInventory.KIND, LayerInventory.VERSION, "sha256:" + "e".repeat(64), LayerInventory.class));
        // and one kind's entry is not another kind's
        Path other = dir.resolve("filesystem-v1/" + LayerFactCache.BUILD + "/sha256/" + "d".repeat(64) + ".json");
        Files.createDirectories(other.getParent());
        Files.copy(entryFile("d"), other);
        assertEquals(Optional.empty(), cache.read("filesystem", 1, DIFF_ID, LayerInventory.class));
        assertEquals(Optional.of(inventory()), readInventory(cache));
    }

    /** Beyond its maximum size the cache drops the entries used longest ago; a read counts as a use. */
    @Test
    void theLeastRecentlyUsedEntriesAreEvictedBeyondTheMaximumSize() throws IOException {
        byte[] body = new byte[1000];
        LayerFactCache cache = new LayerFactCache(dir, LayerFactCache.BUILD, 4000);
        long now = System.currentTimeMillis();
        List<String> keys = new ArrayList<>();
        for (char c : "abc".toCharArray()) {
            String key = "sha256:" + String.valueOf(c).repeat(64);
            keys.add(key);
            assertTrue(cache.writeBytes("hooked-classes", 1, key, body));
        }
        // a, b, c written in that order long ago; then a is read (used) now
        long t = now - 100_000;
        for (LayerFactCache.Stored s : cache.stored())
            Files.setLastModifiedTime(s.file(), java.nio.file.attribute.FileTime.fromMillis(t += 1000));
        assertTrue(cache.readBytes("hooked-classes", 1, keys.get(0)).isPresent());
        assertTrue(cache.writeBytes("hooked-classes", 1, "sha256:" + "f".repeat(64), body));
        assertTrue(cache.info().bytes() <= 4000, cache.info().toString());
        assertTrue(cache.readBytes("hooked-classes", 1, keys.get(0)).isPresent(), "used recently: kept");
        assertTrue(cache.readBytes("hooked-classes", 1, keys.get(1)).isEmpty(), "used longest ago: evicted");
        assertTrue(cache.readBytes("hooked-classes", 1, keys.get(2)).isPresent());
        assertTrue(
                cache.readBytes("hooked-classes", 1, "sha256:" + "f".repeat(64)).isPresent());
        assertEquals(3, cache.info().entries());
        assertEquals(DEFAULT_SIZE_CHECK, LayerFactCache.locate(dir, Map.of()).maxBytes());
        assertEquals(
                2L << 30,
                LayerFactCache.locate(dir, Map.of(LayerFactCache.MAX_SIZE_ENV, "2G"))
                        .maxBytes());
        assertEquals(100L << 20, LayerFactCache.locate(dir, "100MiB", Map.of()).maxBytes());
    }

    private static final long DEFAULT_SIZE_CHECK = 512L << 20;

    /** Export and import: a tar of entries, each verified on the way in and stored under the key it names. */
    @Test
    void exportedEntriesImportVerifiedAndBadOnesAreRefused() throws IOException {
        LayerFactCache cache = new LayerFactCache(dir.resolve("a"));
        assertTrue(writeInventory(cache, inventory()));
        assertTrue(cache.writeBytes("hooked-classes", 1, DIFF_ID, new byte[] {1, 2, 3}));
        java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
        assertEquals(2, cache.exportTo(tar));

        LayerFactCache other = new LayerFactCache(dir.resolve("b"));
        LayerFactCache.Imported imported = other.importFrom(new ByteArrayInputStream(tar.toByteArray()));
        assertEquals(new LayerFactCache.Imported(2, 0, List.of()), imported);
        assertEquals(Optional.of(inventory()), readInventory(other));
        assertEquals(
                List.of((byte) 1, (byte) 2, (byte) 3),
                toList(other.readBytes("hooked-classes", 1, DIFF_ID).orElseThrow()));

        // a tar whose entry was altered, and one whose entry is renamed to another key: both refused
        byte[] bytes = tar.toByteArray();
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] altered = bytes.clone();
        altered[text.indexOf("log4j-core")] = 'L';
        LayerFactCache third = new LayerFactCache(dir.resolve("c"));
        LayerFactCache.Imported refused = third.importFrom(new ByteArrayInputStream(altered));
        assertEquals(1, refused.entries(), refused.toString());
        assertEquals(1, refused.refused(), refused.toString());
        assertEquals(
                0,
                third.stored().stream()
                        .filter(s -> s.relative().startsWith("inventory"))
                        .count());

        byte[] renamed = text.replace("sha256/" + "d".repeat(64) + ".bin", "sha256/" + "e".repeat(64) + ".bin")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        LayerFactCache fourth = new LayerFactCache(dir.resolve("d"));
        LayerFactCache.Imported foreign = fourth.importFrom(new ByteArrayInputStream(renamed));
        assertEquals(1, foreign.refused(), foreign.toString());
        assertTrue(fourth.readBytes("hooked-classes", 1, "sha256:" + "e".repeat(64))
                .isEmpty());
    }

    private static List<Byte> toList(byte[] bytes) {
        List<Byte> out = new ArrayList<>();
        for (byte b : bytes) out.add(b);
        return out;
    }

    /**
     * Two processes writing and reading the same entries of one cache directory at once: every read is a whole entry
     * or none, never a torn or mixed one.
     */
    @Test
    void twoProcessesShareOneCacheDirectoryWithoutTornReads() throws Exception {
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            processes.add(new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            CacheHammer.class.getName(),
                            dir.toString(),
                            String.valueOf(i))
                    .redirectErrorStream(true)
                    .start());
        }
        for (Process p : processes) {
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
            assertTrue(out.contains("reads whole: "), out);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(
                    List.of(),
                    files.filter(p -> p.getFileName().toString().startsWith(".tmp-"))
                            .toList(),
                    "no temporary file left");
        }
    }

    /** One of the processes of {@link #twoProcessesShareOneCacheDirectoryWithoutTornReads}. */
    public static final class CacheHammer {
        public static void main(String[] args) throws Exception {
            LayerFactCache cache = new LayerFactCache(Path.of(args[0]), "hammer", 64L << 20);
            int me = Integer.parseInt(args[1]);
            int whole = 0;
            for (int round = 0; round < 300; round++) {
                for (int k = 0; k < 4; k++) {
                    String key = "sha256:" + Integer.toHexString(k).repeat(64);
                    // each process writes its own content for the same key; a reader must see one of them, whole
                    byte[] body = new byte[20_000 + k];
                    java.util.Arrays.fill(body, (byte) (me * 16 + k));
                    if ((round + me) % 2 == 0) cache.writeBytes("hooked-classes", 1, key, body);
                    Optional<byte[]> read = cache.readBytes("hooked-classes", 1, key);
                    if (read.isEmpty()) continue;
                    byte[] b = read.get();
                    if (b.length != 20_000 + k) throw new AssertionError("torn read: " + b.length);
                    for (byte x : b) if (x != b[0]) throw new AssertionError("mixed read");
                    if ((b[0] & 15) != k) throw new AssertionError("another key's entry");
                    whole++;
                }
            }
            System.out.println("reads whole: " + whole);
        }
    }
}
