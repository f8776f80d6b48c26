package dev.inlay.profiler.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlay.profiler.Docs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static dev.inlay.profiler.Docs.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MergeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String merge(String... inputs) throws IOException {
        MergedProfile merged = new MergedProfile();
        for (String in : inputs) ProfileReader.read(new StringReader(in), merged);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MergedProfileWriter.write(merged, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static JsonNode behavior(JsonNode doc, String resource) {
        for (JsonNode b : doc.path("behaviors")) if (b.path("resource").asText().equals(resource)) return b;
        throw new AssertionError("no behavior " + resource + " in " + doc);
    }

    @Test
    void readsProfileLinesOutOfCapturedLogsAndCountsWhatItSkips() throws IOException {
        String doc1 = Docs.profile(
                "run-a",
                0,
                "web-1",
                "2026-11-23T17:02:00.000Z",
                Docs.behavior(
                        "file", "read", "/app/lib/app.jar", 3, "2026-11-23T17:01:10.000Z", "2026-11-23T17:01:55.000Z"));
        String doc2 = Docs.profile(
                "run-a",
                1,
                "web-1",
                "2026-11-23T17:04:00.000Z",
                Docs.behavior(
                        "file", "read", "/app/lib/app.jar", 2, "2026-11-23T17:02:10.000Z", "2026-11-23T17:03:00.000Z"));
        String log = String.join(
                "\n",
                "2026-11-23T17:00:00.123456789Z Starting application v1.2 on web-1",
                "2026-11-23T17:02:00.000000001Z " + doc1,
                "2026-11-23T17:02:00.5Z {\"inlay\":\"event\",\"category\":\"file\",\"action\":\"deny\"}",
                "INFO  [main] c.e.App: {\"json\":\"the app's own structured log\"}",
                "2026-11-23T17:04:00.000Z stdout F " + doc2,
                doc1, // the same document read twice counts once
                doc2.substring(0, doc2.length() / 2));
        MergedProfile merged = new MergedProfile();
        ProfileReader.read(new StringReader(log), merged);
        MergedProfile.ReadCounters c = merged.counters();
        assertEquals(2, merged.documents());
        assertEquals(1, c.duplicates());
        assertEquals(1, c.truncated());
        assertEquals(3, c.otherLines());
        BehaviorStats s = merged.behaviors().values().iterator().next();
        assertEquals(5, s.count());
        assertEquals("2026-11-23T17:01:10.000Z", Times.format(s.firstMillis()));
        assertEquals("2026-11-23T17:03:00.000Z", Times.format(s.lastMillis()));
        assertEquals(1, s.replicas());
        assertEquals(1, s.runs());
    }

    @Test
    void countsDistinctReplicasAndRunsPerBehavior() throws IOException {
        String out = merge(
                Docs.profile("r1", 0, "web-1", "2026-11-23T17:02:00.000Z", file("read", "/a"), file("read", "/b")),
                Docs.profile("r2", 0, "web-1", "2026-11-23T17:02:00.000Z", file("read", "/a")),
                Docs.profile("r3", 0, "web-2", "2026-11-23T17:02:00.000Z", file("read", "/a")));
        JsonNode doc = JSON.readTree(out);
        assertTrue(doc.path("merged").asBoolean());
        assertEquals(3, doc.path("documents").asInt());
        assertEquals(3, doc.path("runs").asInt());
        assertEquals(2, doc.path("replicas").asInt());
        assertEquals(2, behavior(doc, "/a").path("replicas").asInt());
        assertEquals(3, behavior(doc, "/a").path("runs").asInt());
        assertEquals(1, behavior(doc, "/b").path("runs").asInt());
    }

    @Test
    void inputOrderNeverChangesTheOutputAndMergeIsAssociative() throws IOException {
        List<String> docs = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 60; i++) {
            List<String> behaviors = new ArrayList<>();
            for (int j = 0; j < 5; j++) {
                int n = random.nextInt(20);
                behaviors.add(Docs.behavior(
                        "file",
                        "read",
                        "/data/f" + n,
                        1 + random.nextInt(5),
                        "2026-11-23T17:0" + random.nextInt(10) + ":00.000Z",
                        "2026-11-23T18:0" + random.nextInt(10) + ":00.000Z"));
            }
            docs.add(Docs.profile(
                    "run-" + (i % 13),
                    i / 13,
                    "web-" + (i % 5),
                    "2026-11-23T19:00:00.000Z",
                    behaviors.toArray(String[]::new)));
        }
        String all = merge(String.join("\n", docs));
        for (int round = 0; round < 5; round++) {
            Collections.shuffle(docs, random);
            assertEquals(all, merge(String.join("\n", docs)), "shuffled input changed the output");
        }
        String a = String.join("\n", docs.subList(0, 20));
        String b = String.join("\n", docs.subList(20, 45));
        String c = String.join("\n", docs.subList(45, 60));
        String left = merge(merge(a, b), c);
        String right = merge(a, merge(b, c));
        assertEquals(left, right);
        // merged documents carry their own totals: the result equals merging everything at once
        assertEquals(all, left);
    }

    @Test
    void theSameMergedDocumentReadTwiceCountsOnce() throws IOException {
        String merged = merge(Docs.simple(1, file("read", "/a")), Docs.simple(2, file("read", "/a")));
        assertEquals(merged, merge(merged, merged));
    }

    @Test
    void sketchIsExactWhileSmallAndCloseBeyond() {
        DistinctSketch small = new DistinctSketch(32);
        for (int i = 0; i < 31; i++) small.addId("replica-" + i);
        for (int i = 0; i < 31; i++) small.addId("replica-" + i);
        assertTrue(small.exact());
        assertEquals(31, small.estimate());
        DistinctSketch big = new DistinctSketch(1024);
        for (int i = 0; i < 20000; i++) big.addId("run-" + i);
        assertTrue(Math.abs(big.estimate() - 20000) < 20000 * 0.1, "estimate " + big.estimate());
        DistinctSketch copy = new DistinctSketch(1024);
        copy.addEncoded(big.encode());
        assertEquals(big.estimate(), copy.estimate());
    }
}
