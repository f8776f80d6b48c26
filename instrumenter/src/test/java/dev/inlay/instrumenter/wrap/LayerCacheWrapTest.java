package dev.inlay.instrumenter.wrap;

import dev.inlay.instrumenter.TestImages;
import dev.inlay.instrumenter.image.BlobSource;
import dev.inlay.instrumenter.image.Digests;
import dev.inlay.instrumenter.image.Image;
import dev.inlay.instrumenter.image.Layer;
import dev.inlay.instrumenter.image.MediaTypes;
import dev.inlay.policy.Mode;
import dev.inlay.scanner.cache.LayerFactCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The filesystem merged from cached per-layer facts is the one a read of every layer gives, on layers that take from
 * each other in every way the runtime knows; a cached layer's blob is never opened; parallel wraps share one cache.
 */
class LayerCacheWrapTest {
    @TempDir
    Path tmp;

    /** Layers whose merge depends on order: whiteouts, an opaque directory, hard links to a lower layer, replacements. */
    private static List<byte[]> trickyLayers() throws IOException {
        byte[] base = new TestImages.LayerBuilder()
                .file("opt/jdk/bin/java", "\u007fELF java", 0755)
                .file("opt/jdk/release", "JAVA_VERSION=\"17.0.12\"\n", 0644)
                .file("opt/jdk/lib/modules", "class image", 0644)
                .file("opt/jdk/lib/jrt-fs.jar", "jrt reader", 0644)
                .symlink("usr/bin/java", "/opt/jdk/bin/java")
                .file("usr/bin/gone", "\u007fELF gone", 0755)
                .file("usr/bin/tool", "\u007fELF tool v1", 0755)
                .file("srv/a/run", "#!/bin/sh\necho a\n", 0755)
                .file("srv/b/run", "#!/bin/sh\necho b\n", 0755)
                .file("bin/becomes-dir", "\u007fELF x", 0755)
                .file("bin/launch", "#!/bin/sh\nexec java -jar /app.jar\n", 0755)
                .build();
        byte[] middle = new TestImages.LayerBuilder()
                .file("usr/bin/.wh.gone", "", 0644)
                .file("srv/.wh..wh..opq", "", 0644)
                .file("srv/c/run", "#!/bin/sh\necho c\n", 0755)
                // a hard link to a file of the layer below, then one to a file of this layer
                .hardlink("usr/local/bin/tool-link", "usr/bin/tool")
                .file("usr/local/bin/own", "\u007fELF own", 0755)
                .hardlink("usr/local/bin/own-link", "usr/local/bin/own")
                .dir("bin/becomes-dir")
                .file("usr/bin/tool", "#!/bin/sh\necho tool v2\n", 0644) // no longer executable
                .build();
        byte[] top = new TestImages.LayerBuilder()
                .file("bin/launch", "#!/bin/sh\nunset JAVA_TOOL_OPTIONS\nexec java -jar /app.jar\n", 0755)
                .symlink("usr/local/bin/own", "/bin/launch")
                .file("opt/jdk/lib/modules", "another class image", 0644)
                .build();
        return List.of(base, middle, top);
    }

    private static List<Layer> layers(List<byte[]> tars, boolean refuseToOpen) {
        List<Layer> layers = new ArrayList<>();
        for (byte[] tar : tars) {
            BlobSource source = refuseToOpen
                    ? () -> {
                        throw new AssertionError("a cached layer's blob was opened");
                    }
                    : BlobSource.of(tar);
            layers.add(Layer.of(MediaTypes.OCI_LAYER, Digests.of(tar), tar.length, Digests.of(tar), source));
        }
        return layers;
    }

    private static String describe(ImageFilesystem fs) {
        StringBuilder sb = new StringBuilder(fs.baselineTsv());
        for (ImageFilesystem.Jvm jvm : fs.jvms()) sb.append(jvm).append('\n');
        for (ImageFilesystem.JdkFiles jdk : fs.jdkFiles()) {
            sb.append(jdk.home())
                    .append(' ')
                    .append(new String(jdk.release(), StandardCharsets.UTF_8))
                    .append(jdk.modules())
                    .append(jdk.jrtFs())
                    .append('\n');
        }
        for (String link : new java.util.TreeSet<>(fs.symlinkPaths()))
            sb.append(link).append(" -> ").append(fs.symlinkTarget(link)).append('\n');
        for (String p : List.of("/usr/local/bin/own", "/bin/launch", "/usr/bin/java")) {
            ImageFilesystem.Executable x = fs.executable(p);
            sb.append(p)
                    .append(": ")
                    .append(x == null ? "none" : x.kind() + " " + x.scriptText())
                    .append('\n');
        }
        return sb.toString();
    }

    @Test
    void theMergeOfCachedLayersIsTheMergeOfReadLayersAndOpensNoBlob() throws IOException {
        List<byte[]> tars = trickyLayers();
        ImageFilesystem read = ImageFilesystem.scan(layers(tars, false));
        String expected = describe(read);
        // what the read found, as the runtime would merge it
        assertTrue(expected.contains("/usr/local/bin/tool-link\n"), expected);
        assertTrue(expected.contains("/usr/local/bin/own-link\n"), expected);
        assertTrue(!expected.contains("/usr/bin/gone\n") && !expected.contains("/srv/a/run"), expected);
        assertTrue(!expected.contains("/bin/becomes-dir\n") && !expected.contains("\t/usr/bin/tool\n"), expected);

        LayerFactCache cache = new LayerFactCache(tmp.resolve("cache"));
        ImageFilesystem first = ImageFilesystem.scan(
                layers(tars, false), null, dev.inlay.instrumenter.transport.Progress.SILENT, null, cache);
        assertEquals(3, first.layersRead());
        assertEquals(expected, describe(first));
        ImageFilesystem cached = ImageFilesystem.scan(
                layers(tars, true), null, dev.inlay.instrumenter.transport.Progress.SILENT, null, cache);
        assertEquals(0, cached.layersRead());
        assertEquals(expected, describe(cached));

        // the same layers in another image, in another order, still merge as a read of them does
        List<byte[]> reordered = List.of(tars.get(0), tars.get(2), tars.get(1));
        assertEquals(
                describe(ImageFilesystem.scan(layers(reordered, false))),
                describe(ImageFilesystem.scan(
                        layers(reordered, true), null, dev.inlay.instrumenter.transport.Progress.SILENT, null, cache)));
    }

    private static byte[] agentJar() throws IOException {
        try (InputStream in = LayerCacheWrapTest.class.getClassLoader().getResourceAsStream("inlay/inlay-agent.jar")) {
            return in.readAllBytes();
        }
    }

    private static WrapOptions options(byte[] agent, LayerFactCache cache) {
        return new WrapOptions(Mode.LEARN, null, true, true, agent, "test", false, null, cache, null, null);
    }

    /** Wraps running at once on one cache directory: every one gives the image a wrap without a cache gives. */
    @Test
    void parallelWrapsOnOneCacheGiveTheUncachedResult() throws Exception {
        List<byte[]> tars = trickyLayers();
        Image image = TestImages.image(tars, null);
        byte[] agent = agentJar();
        String expected =
                Wrapper.wrapImage(image, options(agent, null), w -> {}).digest();
        LayerFactCache cache = new LayerFactCache(Files.createDirectories(tmp.resolve("shared")));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> wraps = new ArrayList<>();
            for (int i = 0; i < 6; i++)
                wraps.add(pool.submit(() ->
                        Wrapper.wrapImage(image, options(agent, cache), w -> {}).digest()));
            Set<String> digests = new HashSet<>();
            for (Future<String> f : wraps) digests.add(f.get());
            assertEquals(Set.of(expected), digests);
        } finally {
            pool.shutdown();
        }
        // and the cache now serves a wrap that opens no blob
        Image fromCache = Image.of(image.manifestBytes(), image.configBytes(), layers(tars, true));
        assertEquals(
                expected,
                Wrapper.wrapImage(fromCache, options(agent, cache), w -> {}).digest());
    }
}
