package dev.inlay.runtime;

import dev.inlay.policy.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A candidate policy beside the one in force keeps the allowed path allocation free (docs/EVENTS.md, "shadow"):
 * deciding with both and counting both rules' hits allocates nothing once each rule has been seen.
 */
class ShadowCostTest {
    @TempDir
    Path dir;

    private Path policy(String name) throws Exception {
        return Files.writeString(
                dir.resolve(name + ".yaml"),
                "apiVersion: inlay.dev/v1\nkind: Policy\nmetadata: {name: " + name
                        + "}\nspec:\n  mode: enforce\n  files:\n    - {id: app, operations: [read], paths: [\"/app/**\"]}\n");
    }

    @Test
    void anAllowedOperationDecidedByBothPoliciesAllocatesNothing() throws Exception {
        PolicyState state = PolicyState.load("enforce", policy("current").toString(), null);
        ShadowPolicy shadow = ShadowPolicy.load(policy("candidate").toString(), new dev.inlay.model.AgentSettings());
        EventStream stream = new EventStream(
                new Sink() {
                    @Override
                    public void write(List<String> lines, long deadlineNanos) {}

                    @Override
                    public String describe() {
                        return "nothing";
                    }
                },
                1000,
                16);
        Workload workload = Workload.detect(Map.of("HOSTNAME", "h"), new dev.inlay.model.AgentSettings());
        Reporter reporter = new Reporter(stream, "0.1.0", "run-1", workload);
        BehaviorRecorder recorder = new BehaviorRecorder(100, 100, "0.1.0", "run-1", 0, workload);
        Checker checker = new Checker(
                state,
                recorder,
                reporter,
                null,
                false,
                "/opt/inlay/inlay-agent.jar",
                true,
                shadow,
                new StartupPhase(System.nanoTime(), 0, false),
                null);
        int read = Operation.READ.ordinal();
        for (int i = 0; i < 10_000; i++) checker.file(read, "/app/lib/a.jar"); // warm: counters exist, code compiled

        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100_000; i++) checker.file(read, "/app/lib/a.jar");
        long allocated = mx.getThreadAllocatedBytes(thread) - before;
        // one allocation per check would be at least 1.6 MB
        assertTrue(allocated < 4096, "allowed path with a candidate allocated " + allocated + " bytes");
        assertEquals(110_000L, shadow.hits().get("app").takeCount(), "the candidate counted every decision");
    }
}
