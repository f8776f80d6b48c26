package dev.inlay.profiler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlay.model.Behavior;
import dev.inlay.model.Event;
import dev.inlay.model.JsonLine;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's writer and the profiler's reader agree on every field of an event and of a behavior: each public field
 * is given a value of its own, written with the model's codec (what the agent's Reporter and BehaviorRecorder call),
 * parsed with Jackson and read back into the same typed values. A field added to {@link Event} or {@link Behavior}
 * and not both written and read fails here.
 */
class EventCodecTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Written as they are, from objects the agent rendered once; a reader takes them from its own tree. */
    private static final Set<String> WRITE_ONLY =
            Set.of("policyJson", "currentJson", "workloadJson", "workloadIdentityJson");

    @Test
    void everyFieldOfAnEventReadsBackAsWritten() throws Exception {
        Event written = new Event();
        fill(written, Event.class);
        written.truncated = false; // a line cut short is the writer's decision, not a value it is given
        written.policyJson = "{\"name\":\"p\",\"digest\":\"sha256:00\"}";
        written.currentJson = "{\"action\":\"allow\",\"rule\":\"r\"}";
        written.workloadJson = "{\"hostname\":\"web-1\"}";
        written.workloadIdentityJson = "{\"hostname\":\"web-1\"}";
        written.behavior = new Behavior("network", "connect", "tcp://db:5432");
        fill(written.behavior, Behavior.class);
        JsonNode line = JSON.readTree(written.write(8192));
        Event read = Event.read(new JsonFields(line));
        assertSame(written, read, Event.class);
        assertSame(written.behavior, read.behavior, Behavior.class);
        assertEquals("p", line.path(Event.POLICY).path("name").asText());
        assertEquals("allow", line.path(Event.CURRENT).path("action").asText());
        assertEquals("web-1", line.path(Event.WORKLOAD).path("hostname").asText());
    }

    @Test
    void aLineOverTheLimitIsCutToTheDecisionAndSaysSo() throws Exception {
        Event written = new Event();
        fill(written, Event.class);
        written.policyJson = null;
        written.currentJson = null;
        written.workloadJson = "{\"hostname\":\"web-1\",\"label.x\":\"" + "y".repeat(9000) + "\"}";
        written.workloadIdentityJson = "{\"hostname\":\"web-1\"}";
        written.behavior = new Behavior("file", "read", "/" + "d".repeat(2000));
        Event read = Event.read(new JsonFields(JSON.readTree(written.write(8192))));
        assertTrue(read.truncated);
        assertEquals(1024, read.behavior.resource.length());
        assertEquals(written.rule, read.rule);
        assertEquals(null, read.stack);
    }

    /** A distinct value in every public, non-final field (but the nested behavior). */
    private static void fill(Object o, Class<?> type) throws IllegalAccessException {
        int n = 1;
        for (Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) || Modifier.isFinal(f.getModifiers())) continue;
            n++;
            if (f.getType() == String.class) f.set(o, f.getName() + "-" + n);
            else if (f.getType() == long.class) f.setLong(o, 1000L + n);
            else if (f.getType() == int.class) f.setInt(o, 100 + n);
            else if (f.getType() == boolean.class) f.setBoolean(o, true);
            else if (f.getType() == List.class) f.set(o, List.of(f.getName() + "-a", f.getName() + "-b"));
        }
    }

    private static void assertSame(Object written, Object read, Class<?> type) throws IllegalAccessException {
        for (Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) || WRITE_ONLY.contains(f.getName())) continue;
            if (f.getType() == Behavior.class) continue;
            assertEquals(f.get(written), f.get(read), type.getSimpleName() + "." + f.getName());
        }
    }

    @Test
    void timesAreWrittenAsTheProfilerParsesThem() {
        assertEquals(1_700_000_000_123L, dev.inlay.profiler.profile.Times.parse(JsonLine.time(1_700_000_000_123L), 0));
    }
}
