package dev.inlay.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlay.model.AgentSettings;
import dev.inlay.model.Behavior;
import dev.inlay.model.JsonLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonAndConfigTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void writtenJsonReadsBackExactlyWhateverTheCharacters() throws Exception {
        String nasty =
                "quote\" backslash\\ newline\n tab\t nul\u0000 bell\u0007 line\u2028 lone\ud800 emoji\ud83d\ude00 é";
        String line = JsonLine.object()
                .field("s", nasty)
                .field("n", 42)
                .field("b", true)
                .strings("a", List.of("x", nasty))
                .end();
        assertTrue(line.indexOf('\n') < 0, "one line");
        JsonNode node = mapper.readTree(line);
        assertEquals(nasty.replace("\ud800", "\ufffd"), node.get("s").asText().replace("\ud800", "\ufffd"));
        assertEquals(42, node.get("n").asInt());
        assertTrue(node.get("b").asBoolean());
        assertEquals(
                nasty.replace("\ud800", "\ufffd"), node.get("a").get(1).asText().replace("\ud800", "\ufffd"));
    }

    @Test
    void timesAreIsoInstantsWithMillisecondsInUtcLikeTheJdkFormatsThem() {
        java.time.format.DateTimeFormatter iso = java.time.format.DateTimeFormatter.ofPattern(
                        "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(java.time.ZoneOffset.UTC);
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        List<Long> samples = new java.util.ArrayList<>(List.of(
                0L,
                1L,
                999L,
                1000L,
                59_999L,
                86_399_999L,
                86_400_000L,
                951_782_400_000L /* 2000-02-29 */,
                4_102_444_799_999L /* 2099-12-31T23:59:59.999 */,
                -1L,
                -86_400_001L,
                System.currentTimeMillis()));
        for (int i = 0; i < 10_000; i++) samples.add(random.nextLong(-5_000_000_000_000L, 250_000_000_000_000L));
        for (long millis : samples) {
            assertEquals(iso.format(java.time.Instant.ofEpochMilli(millis)), JsonLine.time(millis), "at " + millis);
        }
    }

    @Test
    void runIdsAreRandomVersion4Uuids() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = AgentInstaller.runId();
            assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id);
            java.util.UUID uuid = java.util.UUID.fromString(id);
            assertEquals(4, uuid.version(), id);
            assertEquals(2, uuid.variant(), id);
            assertEquals(uuid.toString(), id);
            assertTrue(seen.add(id), "repeated " + id);
        }
    }

    @Test
    void environmentBeatsAgentArgumentsWhichBeatThePropertiesFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("inlay.properties"), "mode=monitor\nsink=stderr\nprofileDir=/a\nimage=reg/app\n");
        File jar = dir.resolve("inlay-agent.jar").toFile();
        AgentConfig config = AgentConfig.load(
                "sink=file:/x,profileDir=/b", jar, Map.of("INLAY_PROFILE_DIR", "/c", "INLAY_POLICY_B64", "cG9saWN5"));
        assertEquals("monitor", config.get("mode"));
        assertEquals("file:/x", config.get("sink"));
        assertEquals("/c", config.get("profileDir"));
        assertEquals("cG9saWN5", config.policyBase64());
        assertEquals("INLAY_PROFILE_INTERVAL", AgentSettings.envName("profileInterval"));
        assertEquals("INLAY_FAIL_OPEN", AgentSettings.envName("failOpen"));
        // every setting docs/EVENTS.md documents is read from the environment too
        AgentConfig output = AgentConfig.load(
                "",
                jar,
                Map.of(
                        "INLAY_MAX_PER_DIRECTORY",
                        "7",
                        "INLAY_STATUS_INTERVAL",
                        "9",
                        "INLAY_SINK_TIMEOUT",
                        "11",
                        "INLAY_SHUTDOWN_TIMEOUT",
                        "13"));
        assertEquals("7", output.get("maxPerDirectory"));
        assertEquals("9", output.get("statusInterval"));
        assertEquals("11", output.get("sinkTimeout"));
        assertEquals("13", output.get("shutdownTimeout"));
        AgentSettings props = config.recorded();
        Workload w = Workload.detect(Map.of("HOSTNAME", "web-1", "POD_NAMESPACE", "shop"), props);
        JsonNode workload = mapper.readTree(w.json());
        assertEquals("web-1", workload.get("hostname").asText());
        assertEquals("shop", workload.get("podnamespace").asText());
        // inlay.properties' "image" is the source as typed at wrap time: never reported as the image (EventLineTest)
        assertTrue(workload.path("image").isMissingNode(), workload.toString());
        assertEquals("reg/app", props.get("image"), "the properties file was read");
    }

    @Test
    void profileSnapshotsAreDeltasSplitIntoLinesOfAtMost8KiB() throws Exception {
        BehaviorRecorder recorder = new BehaviorRecorder(
                50_000,
                1000,
                "0.1.0",
                "run-1",
                0,
                Workload.detect(Map.of("HOSTNAME", "h"), AgentSettings.of(new Properties())));
        for (int i = 0; i < 500; i++) {
            recorder.record(new Behavior("file", "read", "/data/some/fairly/long/path/number-" + i));
        }
        recorder.record(new Behavior("file", "read", "/data/some/fairly/long/path/number-0"));
        List<String> first = recorder.snapshot(false);
        assertTrue(first.size() > 1, "split into chunks");
        long total = 0;
        for (int i = 0; i < first.size(); i++) {
            String doc = first.get(i);
            assertTrue(doc.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 8192, "line size");
            JsonNode node = mapper.readTree(doc);
            assertEquals(0, node.get("seq").asInt());
            assertEquals(i, node.get("chunk").asInt());
            assertEquals(first.size(), node.get("chunks").asInt());
            for (JsonNode b : node.get("behaviors")) total += b.get("count").asLong();
        }
        assertEquals(501, total);
        assertTrue(recorder.snapshot(false).isEmpty(), "nothing new: no document");
        recorder.record(new Behavior("dns", "resolve", "db.internal"));
        List<String> last = recorder.snapshot(true);
        JsonNode node = mapper.readTree(last.get(0));
        assertEquals(1, node.get("seq").asInt());
        assertTrue(node.get("final").asBoolean());
        assertEquals(1, node.get("behaviors").size());
    }

    /** docs/PROFILE.md "Summaries and losses". */
    @Test
    void aDirectoryWithManyFilesIsSummarizedBeforeTheCapAndALossIsInEveryLaterDocument() throws Exception {
        BehaviorRecorder recorder = new BehaviorRecorder(
                2_000,
                100,
                "0.1.0",
                "run-1",
                0,
                Workload.detect(Map.of("HOSTNAME", "h"), AgentSettings.of(new Properties())));
        for (int i = 0; i < 5_000; i++) recorder.record(new Behavior("file", "read", "/data/uploads/u" + i));
        for (int i = 0; i < 5_000; i++) recorder.record(new Behavior("file", "write", "/data/objects/o" + i + "/blob"));
        recorder.record(new Behavior("network", "connect", "tcp://db:5432"));
        Set<String> resources = new HashSet<>();
        Set<String> summaries = new HashSet<>();
        for (String doc : recorder.snapshot(false)) {
            JsonNode node = mapper.readTree(doc);
            assertFalse(node.has("notRecorded"), "nothing lost: " + node);
            for (JsonNode b : node.get("behaviors")) {
                resources.add(b.get("resource").asText());
                if (b.path("summary").asBoolean())
                    summaries.add(b.get("resource").asText());
            }
        }
        assertEquals(Set.of("/data/uploads/*", "/data/objects/**"), summaries);
        assertTrue(resources.contains("tcp://db:5432"), "learned after the explosion");
        assertTrue(resources.size() < 2_000, "bounded: " + resources.size());
        assertEquals(0, recorder.overflow());

        for (int i = 0; i < 3_000; i++) recorder.record(new Behavior("dns", "resolve", "h" + i + ".example"));
        long lost = recorder.overflow();
        assertTrue(lost > 0);
        List<String> next = recorder.snapshot(false);
        assertEquals(lost, mapper.readTree(next.get(0)).get("notRecorded").asLong());
        recorder.record(new Behavior("dns", "resolve", "h2999.example"));
        List<String> onlyTheLoss = recorder.snapshot(false);
        assertEquals(1, onlyTheLoss.size(), "a document for the new loss alone");
        assertEquals(
                lost + 1, mapper.readTree(onlyTheLoss.get(0)).get("notRecorded").asLong());
        assertEquals(0, mapper.readTree(onlyTheLoss.get(0)).get("behaviors").size());
        assertTrue(recorder.snapshot(false).isEmpty(), "no new loss, nothing new: no document");
    }

    @Test
    void executablesResolveAgainstPath() {
        assertEquals("/usr/bin/true", Checker.resolveExecutable("true", null, Map.of("PATH", "/nonexistent:/usr/bin")));
        assertEquals("/opt/x/run", Checker.resolveExecutable("./run", "/opt/x", Map.of()));
    }
}
