package dev.inlay.instrumenter.wrap;

import dev.inlay.instrumenter.TestImages;
import dev.inlay.instrumenter.image.BlobSource;
import dev.inlay.instrumenter.image.Digests;
import dev.inlay.instrumenter.image.Layer;
import dev.inlay.instrumenter.image.MediaTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wrap asks the agent jar it packages for its hook precomputation, and fails when the jar has none. */
class PrecomputedHooksTest {
    @TempDir
    Path tmp;

    @Test
    void aJarWithoutTheHookPrecomputationFailsTheWrapAsAnInternalError() throws IOException {
        ByteArrayOutputStream jar = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(jar)) {
            out.putNextEntry(new JarEntry("README")); // a jar, but no inlay agent: it provides nothing
            out.write("not an agent".getBytes());
        }
        List<String> warnings = new ArrayList<>();
        ImageFilesystem.JdkFiles jdk = jdk();
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> PrecomputedHooks.compute(jar.toByteArray(), fs, List.of(jdk), tmp, warnings::add, null));
        assertTrue(e.getMessage().contains("provides no dev.inlay.model.HookPrecomputation"), e.getMessage());
        // Neither bad input (exit 3) nor I/O (exit 4): the CLI maps it to 70, an internal error (docs/CLI.md).
        Throwable thrown = e;
        assertTrue(
                !(thrown instanceof IllegalArgumentException) && !(thrown instanceof IOException),
                "the build's defect: " + e);
        assertEquals(List.of(), warnings);
    }

    @Test
    void theAgentJarProvidesItAndAJdkItCannotReadIsOnlyAWarning() throws IOException {
        byte[] agent;
        try (InputStream in =
                PrecomputedHooksTest.class.getClassLoader().getResourceAsStream("inlay/inlay-agent.jar")) {
            agent = in.readAllBytes();
        }
        List<String> warnings = new ArrayList<>();
        ImageFilesystem.JdkFiles jdk = jdk();
        byte[] sections = PrecomputedHooks.compute(agent, fs, List.of(jdk), tmp, warnings::add, null);
        assertEquals(0, sections.length);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(
                warnings.get(0).startsWith("cannot hook the classes of the JDK in /opt/jdk ahead of time"),
                warnings.toString());
    }

    private ImageFilesystem fs;

    /** A JDK whose class image is not one, as a scan of its layer finds it. */
    private ImageFilesystem.JdkFiles jdk() throws IOException {
        byte[] tar = new TestImages.LayerBuilder()
                .file("opt/jdk/bin/java", "\u007fELF fake java", 0755)
                .file("opt/jdk/release", "JAVA_VERSION=\"17\"\n", 0644)
                .file("opt/jdk/lib/modules", "not a jimage", 0644)
                .file("opt/jdk/lib/jrt-fs.jar", "not a jar", 0644)
                .build();
        Layer layer = Layer.of(MediaTypes.OCI_LAYER, Digests.of(tar), tar.length, Digests.of(tar), BlobSource.of(tar));
        fs = ImageFilesystem.scan(List.of(layer), Files.createDirectories(tmp.resolve("copies")));
        return fs.jdkFiles().get(0);
    }
}
