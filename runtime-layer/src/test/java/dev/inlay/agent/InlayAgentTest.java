package dev.inlay.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Finding the jar the boot loader took the premain class from, without asking the boot loader. */
class InlayAgentTest {
    @TempDir
    Path dir;

    @Test
    void theBootJarIsTheInlayAgentJarNextToTheOneAgentJarThatHasOne() throws Exception {
        Path opt = Files.createDirectories(dir.resolve("opt/inlay"));
        Path jar = Files.writeString(opt.resolve("inlay-agent.jar"), "jar");
        Path other = Files.createDirectories(dir.resolve("otel"));
        Files.writeString(other.resolve("otel.jar"), "jar");
        File expected = jar.toFile().getCanonicalFile();
        String java = "/usr/bin/java\0-cp\0app.jar\0Main";

        assertEquals(expected, bootJar(java + "\0-javaagent:" + jar));
        assertEquals(expected, bootJar("-javaagent:" + jar + "=mode=learn\0" + java));
        assertEquals(expected, bootJar("-agentlib:instrument=" + jar + "\0" + java), "what wrap writes for -cp");
        assertEquals(expected, bootJar("-agentlib:instrument=" + jar + "=mode=learn\0" + java));
        assertNull(bootJar("-agentlib:jdwp=transport=dt_socket\0" + java), "a native agent names no jar");
        assertEquals(
                expected,
                bootJar("-javaagent:" + opt.resolve("renamed.jar") + "\0" + java),
                "a renamed jar's Boot-Class-Path still names inlay-agent.jar in its directory");
        assertEquals(
                expected,
                bootJar("-javaagent:" + other.resolve("otel.jar") + "\0-javaagent:" + jar + "\0-javaagent:" + jar + "\0"
                        + java),
                "another agent, and the same jar twice");
        assertEquals(
                expected,
                bootJar("-agentlib:instrument=" + jar + "\0-javaagent:" + jar + "\0" + java),
                "the same jar with both flags");
        Path link = Files.createSymbolicLink(dir.resolve("link"), opt);
        assertEquals(
                expected,
                bootJar("-javaagent:" + link.resolve("inlay-agent.jar") + "\0" + java),
                "resolved against the canonical directory, as the JVM does");

        Files.writeString(other.resolve("inlay-agent.jar"), "another copy");
        assertNull(
                bootJar("-javaagent:" + other.resolve("otel.jar") + "\0-javaagent:" + jar + "\0" + java),
                "two candidates: the boot loader is asked");
        assertNull(bootJar(java), "no agent named: the boot loader is asked");
        for (String unseen : new String[] {"@/etc/java-args", "-XX:Flags=/x", "-XX:VMOptionsFile=/x", "-Dq=\"a b\""}) {
            assertNull(bootJar("-javaagent:" + jar + "\0" + unseen + "\0" + java), unseen);
        }
    }

    private static File bootJar(String commandLine) {
        return AgentJars.bootJarNamedIn(JvmOptions.of(commandLine, Map.of()));
    }
}
