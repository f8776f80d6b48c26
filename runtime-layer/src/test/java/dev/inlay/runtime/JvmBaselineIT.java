package dev.inlay.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JVM baseline (docs/POLICY.md): what the JDK reads for itself is neither learned nor denied, on JDK 17 and 25;
 * what the application reads itself, even the same kind of file, is learned and decided by the policy.
 */
class JvmBaselineIT {
    private static final String APP = "dev.inlay.probe.JvmOwnReads";

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void theJdksOwnReadsAreNotLearnedButTheApplicationsAre(int jdk) throws Exception {
        AgentRun run = AgentRun.run(jdk, "mode=learn", Map.of(), APP);
        assertEquals(0, run.exitCode, run.describe());
        List<String> learned = learned(run);
        assertTrue(learned.contains("file read /proc/self/mountinfo"), "the application's own read: " + learned);
        assertTrue(learned.contains("file read /dev/urandom"), "the application's own read: " + learned);
        assertTrue(
                learned.contains("file read /proc/self/cgroup"),
                "through Scanner, still the application's: " + learned);
        assertTrue(
                learned.contains("file read /proc/self/status"),
                "a method reference run on a pool thread, the application's: " + learned);
        String home = AgentRun.java(jdk).getParent().getParent().toString();
        if (jdk == 17) {
            // JDK 17 loaded its default Policy (java.home's, then the user's ~/.java.policy) for the application's
            // AccessController.checkPermission: the JDK's own read, whatever the user's home is
            assertTrue(run.stdout.stream().anyMatch(l -> l.startsWith("permission ")), run.describe());
            assertFalse(
                    learned.contains("file read " + System.getProperty("user.home") + "/.java.policy"),
                    "the default Policy's read of ~/.java.policy is the JDK's: " + learned);
        }
        for (String b : learned) {
            assertFalse(
                    b.startsWith("file read /sys/fs/cgroup/")
                            || b.equals("file read /dev/random")
                            || b.equals("file read /proc/cgroups")
                            || b.startsWith("file read " + home + "/")
                            || b.startsWith("file list " + home + "/")
                            || b.startsWith("native load " + home + "/"),
                    "the JDK's own read is not the application's behavior: " + b + "\n" + learned);
        }
        JsonNode roots = run.of("profile").get(0).path("roots");
        assertTrue(roots.path("java.home").toString().contains(home), roots.toString());
        assertTrue(
                roots.path("app.classpath")
                        .toString()
                        .contains(AgentRun.testClasses().toString()),
                roots.toString());
    }

    /**
     * A wrapped layer carries the links under its JDK's home (jdk-links.bin, found by inlay wrap): the agent follows
     * those rather than walking the home at the first file operation before main(). The JDK's own read of a link's
     * target is then still not learned, and a link the file leaves out is not found by any walk.
     */
    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void theLinksOutOfTheJdkComeFromTheLayerWhenItCarriesThem(int jdk) throws Exception {
        Path layer = Files.createTempDirectory("inlay-jdk-links");
        try {
            Path jar = Files.copy(AgentRun.agentJar(), layer.resolve("inlay-agent.jar"));
            Path links = layer.resolve(dev.inlay.model.LayerLayout.JDK_LINKS);

            AgentRun walked = AgentRun.run(jdk, jar, "mode=learn", Map.of(), APP);
            assertEquals(0, walked.exitCode, walked.describe());
            assertEquals("walk", walked.of("status").get(0).path("jdkLinks").asText(), walked.describe());

            Files.write(links, AgentRun.jdkLinks(jdk));
            AgentRun listed = AgentRun.run(jdk, jar, "mode=learn", Map.of(), APP);
            assertEquals(0, listed.exitCode, listed.describe());
            assertEquals(
                    "precomputed", listed.of("status").get(0).path("jdkLinks").asText(), listed.describe());
            assertEquals(learned(walked), learned(listed), "the same links, found either way");

            // another JDK at this path (its release differs): the section is not this JDK's, the home is walked
            Path home = AgentRun.java(jdk).getParent().getParent().toRealPath();
            Files.write(
                    links,
                    dev.inlay.model.JdkLinkList.section(home.toString(), "JAVA_VERSION=\"0\"\n".getBytes(), List.of()));
            AgentRun other = AgentRun.run(jdk, jar, "mode=learn", Map.of(), APP);
            assertEquals("walk", other.of("status").get(0).path("jdkLinks").asText(), other.describe());

            if (jdk == 17) {
                // Debian's JDK 17 links conf/net.properties out of the home, and the JDK opens it by that target
                Path net = home.resolve("conf/net.properties");
                assertTrue(Files.isSymbolicLink(net), "the host's JDK 17 is Debian's: " + net);
                String target = "file read " + net.toRealPath();
                assertFalse(learned(listed).contains(target), "the JDK's own read, through the layer's list");
                Files.write(links, AgentRun.jdkLinks(jdk, "/conf/net.properties"));
                AgentRun without = AgentRun.run(jdk, jar, "mode=learn", Map.of(), APP);
                assertEquals(0, without.exitCode, without.describe());
                assertTrue(
                        learned(without).contains(target),
                        "a link the layer's list leaves out is not followed: no walk of the home " + learned(without));
            }
        } finally {
            try (java.util.stream.Stream<Path> files = Files.list(layer)) {
                for (Path f : (Iterable<Path>) files::iterator) Files.delete(f);
            }
            Files.delete(layer);
        }
    }

    private static List<String> learned(AgentRun run) {
        List<String> learned = run.profiledBehaviors();
        java.util.Collections.sort(learned);
        return learned;
    }

    /** A policy file the application names itself (Policy.getInstance, JDK 17) is the application's read. */
    @Test
    void aPolicyFileTheApplicationNamesIsLearned() throws Exception {
        AgentRun run = AgentRun.run(17, "mode=learn", Map.of(), APP, "named-policy");
        assertTrue(run.stdout.contains("named policy read"), run.describe());
        String userPolicy = "file read " + System.getProperty("user.home") + "/.java.policy";
        int reads = 0;
        for (JsonNode doc : run.of("profile")) {
            for (JsonNode b : doc.path("behaviors")) {
                if (userPolicy.equals(
                        b.path("category").asText() + " " + b.path("operation").asText() + " "
                                + b.path("resource").asText()))
                    reads += b.path("count").asInt();
            }
        }
        assertEquals(
                1, reads, "the application's own read of ~/.java.policy, and only it, is learned: " + run.describe());
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void aPolicyOfTheApplicationsOwnReadsEnforcesWithNoDenial(int jdk) throws Exception {
        Path policy = Files.createTempFile("inlay-baseline", ".yaml");
        Files.writeString(policy, """
                apiVersion: inlay.dev/v1
                kind: Policy
                metadata: {name: baseline}
                spec:
                  mode: enforce
                  files:
                    - {id: code, operations: [read], paths: ["${app.classpath}/**"]}
                    - {id: own, operations: [read], paths: [/proc/self/mountinfo, /dev/urandom, /proc/self/cgroup, /proc/self/status]}
                """);
        try {
            AgentRun run = AgentRun.run(jdk, "policy=" + policy, Map.of(), APP);
            assertEquals(0, run.exitCode, run.describe());
            assertTrue(run.stdout.contains("JVM-OWN-READS-OK"), run.describe());
            assertEquals(List.of(), run.of("event"), run.describe());

            AgentRun without = AgentRun.run(jdk, "policy=" + policy + ",jvmBaseline=false", Map.of(), APP);
            assertTrue(
                    without.exitCode != 0,
                    "without the baseline the JDK's own reads are denied: " + without.describe());
            assertFalse(without.of("event").isEmpty(), without.describe());
        } finally {
            Files.deleteIfExists(policy);
        }
    }
}
