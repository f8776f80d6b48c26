package dev.inlay.instrumenter.wrap;

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
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> PrecomputedHooks.compute(jar.toByteArray(), List.of(jdk()), tmp, warnings::add));
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
        byte[] sections = PrecomputedHooks.compute(agent, List.of(jdk()), tmp, warnings::add);
        assertEquals(0, sections.length);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(
                warnings.get(0).startsWith("cannot hook the classes of the JDK in /opt/jdk ahead of time"),
                warnings.toString());
    }

    private ImageFilesystem.JdkFiles jdk() throws IOException {
        Path modules = Files.writeString(tmp.resolve("modules"), "not a jimage");
        Path jrtFs = Files.writeString(tmp.resolve("jrt-fs.jar"), "not a jar");
        return new ImageFilesystem.JdkFiles("/opt/jdk", "JAVA_VERSION=\"17\"\n".getBytes(), modules, jrtFs);
    }
}
