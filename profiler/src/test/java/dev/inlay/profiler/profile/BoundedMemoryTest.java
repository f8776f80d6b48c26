package dev.inlay.profiler.profile;

import dev.inlay.profiler.Docs;
import org.junit.jupiter.api.Test;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tens of thousands of replica profiles merge in a small heap: a forked JVM with -Xmx32m reads 20,000 replica
 * documents (about 60 MB) streamed into its standard input, which fails with OutOfMemoryError if merge held inputs.
 */
class BoundedMemoryTest {
    static final int REPLICAS = 20_000;
    static final int BEHAVIORS = 40;

    /** Runs in the forked JVM: merge standard input, print the totals. */
    public static void main(String[] args) throws IOException {
        MergedProfile merged = new MergedProfile();
        ProfileReader.readAll(List.of("-"), System.in, merged);
        MergedProfileWriter.write(merged, new ByteArrayOutputStream());
        BehaviorStats s = merged.behaviors().values().iterator().next();
        System.out.println(merged.documents() + " " + merged.distinctBehaviors() + " " + s.count() + " " + merged.runs()
                + " " + s.replicas());
    }

    @Test
    void twentyThousandReplicasMergeInThirtyTwoMegabytes() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                java, "-Xmx32m", "-cp", System.getProperty("java.class.path"), BoundedMemoryTest.class.getName());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        List<String> behaviors = new ArrayList<>();
        for (int b = 0; b < BEHAVIORS; b++) {
            behaviors.add(Docs.behavior(
                    "file",
                    "read",
                    "/app/lib/dependency-" + b + ".jar",
                    2,
                    "2026-11-23T17:01:00.000Z",
                    "2026-11-23T17:01:30.000Z"));
        }
        String[] list = behaviors.toArray(String[]::new);
        try (Writer w = new BufferedWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8))) {
            for (int i = 0; i < REPLICAS; i++) {
                w.write("2026-11-23T17:02:00.000Z "
                        + Docs.profile("run-" + i, 0, "web-" + i, "2026-11-23T17:02:00.000Z", list));
                w.write('\n');
            }
        }
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "merge did not finish");
        assertEquals(0, p.exitValue(), "forked merge failed: " + out);
        String[] f = out.split(" ");
        assertEquals(String.valueOf(REPLICAS), f[0]);
        assertEquals(String.valueOf(BEHAVIORS), f[1]);
        assertEquals(String.valueOf(2L * REPLICAS), f[2]);
        long runs = Long.parseLong(f[3]);
        long replicas = Long.parseLong(f[4]);
        assertTrue(Math.abs(runs - REPLICAS) < REPLICAS / 10, "runs estimate " + runs);
        assertTrue(Math.abs(replicas - REPLICAS) < REPLICAS * 4 / 10, "replicas estimate " + replicas);
    }
}
