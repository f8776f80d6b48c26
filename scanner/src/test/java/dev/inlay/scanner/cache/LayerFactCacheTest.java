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
        assertTrue(cache.write(LayerInventory.KIND, LayerInventory.VERSION, DIFF_ID, written));
        assertTrue(Files.isRegularFile(
                dir.resolve("inventory-v1/" + LayerFactCache.BUILD + "/sha256/" + "d".repeat(64) + ".json")));
        assertEquals(
                Optional.of(written),
                cache.read(LayerInventory.KIND, LayerInventory.VERSION, DIFF_ID, LayerInventory.class));
        assertEquals(
                Optional.empty(),
                cache.read(
                        LayerInventory.KIND, LayerInventory.VERSION, "sha256:" + "e".repeat(64), LayerInventory.class));
    }

    /** An entry another build of inlay computed is not read: its inventory may identify components otherwise. */
    @Test
    void anotherBuildsEntryIsNotRead() throws IOException {
        LayerFactCache other = new LayerFactCache(dir, "b1-2");
        assertTrue(other.write(LayerInventory.KIND, LayerInventory.VERSION, DIFF_ID, inventory()));
        assertEquals(
                Optional.of(inventory()),
                other.read(LayerInventory.KIND, LayerInventory.VERSION, DIFF_ID, LayerInventory.class));
        assertEquals(
                Optional.empty(),
                new LayerFactCache(dir)
                        .read(LayerInventory.KIND, LayerInventory.VERSION, DIFF_ID, LayerInventory.class));
    }

    @Test
    void aCorruptEntryIsIgnoredAndOverwritten() throws IOException {
        LayerFactCache cache = new LayerFactCache(dir);
        Path entry = dir.resolve("inventory-v1/" + LayerFactCache.BUILD + "/sha256/" + "d".repeat(64) + ".json");
        Files.createDirectories(entry.getParent());
        Files.writeString(entry, "{\"removed\":[\"/a\"],\"opaqueDirs\":[],\"fi");
        assertEquals(
                Optional.empty(),
                cache.read(LayerInventory.KIND, LayerInventory.VERSION, DIFF_ID, LayerInventory.class));
        assertTrue(cache.write(LayerInventory.KIND, LayerInventory.VERSION, DIFF_ID, inventory()));
        assertEquals(
                Optional.of(inventory()),
                cache.read(LayerInventory.KIND, LayerInventory.VERSION, DIFF_ID, LayerInventory.class));
    }

    @Test
    void concurrentWritersLeaveOneWholeEntryAndNoTemporaryFiles() throws Exception {
        LayerFactCache cache = new LayerFactCache(dir);
        LayerInventory inventory = inventory();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> writes = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                writes.add(pool.submit(
                        () -> cache.write(LayerInventory.KIND, LayerInventory.VERSION, DIFF_ID, inventory)));
                writes.add(pool.submit(() -> {
                    Optional<LayerInventory> read =
                            cache.read(LayerInventory.KIND, LayerInventory.VERSION, DIFF_ID, LayerInventory.class);
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
}
