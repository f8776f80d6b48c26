package dev.inlay.instrumenter.wrap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlay.instrumenter.TestImages;
import dev.inlay.instrumenter.image.Image;
import dev.inlay.model.AgentFlag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which option loads the agent (docs/WRAPPING.md, "How the agent is loaded"): {@code -agentlib:instrument=} only where
 * the launch is read to a java command line with no module option anywhere; {@code -javaagent} everywhere else, since
 * a JVM launching a named module without it refuses to start (AgentLifecycleIT shows both on real JVMs).
 */
class AgentFlagChoiceTest {
    @Test
    void classPathAndJarLaunchesGetAgentlib() throws IOException {
        assertChoice(AgentFlag.AGENTLIB, "class-path launch", List.of("java"), List.of("-jar", "/app/app.jar"));
        assertChoice(
                AgentFlag.AGENTLIB,
                "main class com.example.Main",
                List.of("tini", "--", "/opt/jdk/bin/java"),
                List.of("-cp", "/app/lib/*", "com.example.Main"));
        assertChoice(
                AgentFlag.AGENTLIB,
                "main class @/app/jib-main-class-file",
                List.of("java", "-cp", "@/app/jib-classpath-file", "@/app/jib-main-class-file"),
                List.of());
    }

    @Test
    void anyModuleOptionInTheCommandOrTheEnvironmentGetsJavaagent() throws IOException {
        assertChoice(
                AgentFlag.JAVAAGENT,
                "the entrypoint and cmd have -m",
                List.of("java", "-m", "app/app.Main"),
                List.of());
        assertChoice(
                AgentFlag.JAVAAGENT,
                "the entrypoint and cmd have --module-path",
                List.of("java", "--module-path=/mods", "-cp", "/app.jar", "Main"),
                List.of());
        assertChoice(
                AgentFlag.JAVAAGENT,
                "the environment variable JDK_JAVA_OPTIONS has --limit-modules",
                List.of("java", "-jar", "/app.jar"),
                List.of(),
                "JDK_JAVA_OPTIONS=--limit-modules java.base,java.logging");
        assertChoice(
                AgentFlag.JAVAAGENT,
                "the environment variable JAVA_OPTS has -p",
                List.of("sh", "-c", "exec java $JAVA_OPTS"),
                List.of(),
                "JAVA_OPTS=-p /mods -m app/app.Main");
    }

    @Test
    void aLaunchNotReadToJavaGetsJavaagent() throws IOException {
        assertChoice(AgentFlag.JAVAAGENT, "not known (no entrypoint", List.of(), List.of());
        assertChoice(AgentFlag.JAVAAGENT, "not known (java)", List.of("java"), List.of());
        assertChoice(AgentFlag.JAVAAGENT, "not known (unknown", List.of("/usr/local/bin/launcher"), List.of());
    }

    @Test
    void scriptsAreReadShortOptionsOnlyOnLinesAboutJava() throws IOException {
        byte[] plain = new TestImages.LayerBuilder()
                .file(
                        "entrypoint.sh",
                        "#!/bin/sh\nmkdir -p /tmp/app\nuseradd -m app || true\nexec java $JAVA_OPTS -jar /app.jar\n",
                        0755)
                .build();
        assertEquals(
                AgentFlag.AGENTLIB,
                analyze(plain, List.of("/entrypoint.sh"), List.of()).agentFlag());

        byte[] modular = new TestImages.LayerBuilder()
                .file(
                        "entrypoint.sh",
                        "#!/bin/sh\nJAVA_OPTS=\"-p /mods\"\nexec java $JAVA_OPTS -m app/app.Main\n",
                        0755)
                .build();
        LaunchAnalysis m = analyze(modular, List.of("/entrypoint.sh"), List.of());
        assertEquals(AgentFlag.JAVAAGENT, m.agentFlag(), m.agentFlagReason());
        assertTrue(m.agentFlagReason().contains("the script /entrypoint.sh has -p"), m.agentFlagReason());

        byte[] longOption = new TestImages.LayerBuilder()
                .file("run.sh", "#!/bin/sh\nMODS=--module-path\nexec java $MODS /mods -jar /x.jar\n", 0755)
                .build();
        LaunchAnalysis l = analyze(longOption, List.of("tini", "--", "/run.sh"), List.of());
        assertEquals(AgentFlag.JAVAAGENT, l.agentFlag(), l.agentFlagReason());
        assertTrue(l.agentFlagReason().contains("the script /run.sh has --module-path"), l.agentFlagReason());

        byte[] continued = new TestImages.LayerBuilder()
                .file("run.sh", "#!/bin/sh\nexec java \\\n  -p /mods \\\n  -m app/app.Main\n", 0755)
                .build();
        LaunchAnalysis c = analyze(continued, List.of("/run.sh"), List.of());
        assertEquals(AgentFlag.JAVAAGENT, c.agentFlag(), "a continued line is one command: " + c.agentFlagReason());

        byte[] ownVariable = new TestImages.LayerBuilder()
                .file("run.sh", "#!/bin/sh\nunset JDK_JAVA_OPTIONS\nexec java -jar /x.jar\n", 0755)
                .build();
        LaunchAnalysis o = analyze(ownVariable, List.of("/run.sh"), List.of());
        assertEquals(AgentFlag.JAVAAGENT, o.agentFlag(), o.agentFlagReason());
        assertTrue(o.agentFlagReason().contains("handles JDK_JAVA_OPTIONS"), o.agentFlagReason());
    }

    @Test
    void theApplicationsArgumentsAndJibsArgumentFilesAreNotTheJvmsOptions() throws IOException {
        assertChoice(
                AgentFlag.AGENTLIB, "class-path launch", List.of("java", "-jar", "/app.jar", "-p", "8080"), List.of());
        assertChoice(
                AgentFlag.AGENTLIB,
                "class-path launch",
                List.of("sh", "-c", "mkdir -p /tmp/x && exec java -jar /app.jar"),
                List.of());
        assertChoice(
                AgentFlag.JAVAAGENT,
                "the argument file @/app/java-args, not read",
                List.of("java", "@/app/java-args", "-jar", "/app.jar"),
                List.of());
        assertEquals(
                List.of("--module-path", "-m"),
                LaunchAnalysis.moduleOptionsIn(List.of(
                        "/usr/bin/java", "--module-path=/mods", "-cp", "/x", "-m", "app/app.Main", "-p", "8080")));
        assertEquals(List.of(), LaunchAnalysis.moduleOptionsIn(List.of("java", "-cp", "-p", "Main", "-m")));
        assertEquals(List.of("-m"), LaunchAnalysis.moduleOptionsIn(List.of("/entrypoint.sh", "-m", "app/app.Main")));
    }

    private static void assertChoice(
            AgentFlag expected, String reason, List<String> entrypoint, List<String> cmd, String... env)
            throws IOException {
        LaunchAnalysis a = analyze(null, entrypoint, cmd, env);
        assertEquals(expected, a.agentFlag(), entrypoint + " " + cmd + ": " + a.agentFlagReason());
        assertTrue(a.agentFlagReason().contains(reason), a.agentFlagReason());
    }

    private static LaunchAnalysis analyze(byte[] layer, List<String> entrypoint, List<String> cmd, String... env)
            throws IOException {
        List<byte[]> layers = new ArrayList<>(List.of(TestImages.jvmLayer("/opt/jdk", "17.0.9")));
        if (layer != null) layers.add(layer);
        Image image = TestImages.image(layers, c -> {
            ObjectNode rc = (ObjectNode) c.path("config");
            ArrayNode e = rc.putArray("Entrypoint");
            entrypoint.forEach(e::add);
            ArrayNode k = rc.putArray("Cmd");
            cmd.forEach(k::add);
            for (String variable : env) TestImages.env(c).add(variable);
        });
        return LaunchAnalysis.analyze(image, ImageFilesystem.scan(image.layers()));
    }
}
