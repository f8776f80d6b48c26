package dev.inlay.profiler.profile;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.inlay.model.Behavior;
import dev.inlay.policy.Category;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * Writes a {@link MergedProfile} as one merged profile document on one line (docs/PROFILER.md). The document is
 * streamed, sorted by behavior, and depends only on the merged content, so any merge order gives the same bytes.
 */
public final class MergedProfileWriter {
    private static final JsonFactory JSON = new JsonFactory();

    private MergedProfileWriter() {}

    public static void write(MergedProfile profile, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.writeStartObject();
            g.writeStringField("inlay", "profile");
            g.writeNumberField("schema", 1);
            g.writeBooleanField("merged", true);
            g.writeNumberField("documents", profile.documents());
            g.writeNumberField("runs", profile.runs());
            g.writeNumberField("replicas", profile.replicas());
            if (profile.notRecorded() > 0) {
                g.writeNumberField("notRecorded", profile.notRecorded());
                g.writeObjectFieldStart("notRecordedRuns");
                for (Map.Entry<String, Long> run : profile.notRecordedByRun().entrySet()) {
                    g.writeNumberField(run.getKey(), run.getValue());
                }
                g.writeEndObject();
            }
            if (profile.startedMillis() != Long.MAX_VALUE)
                g.writeStringField("started", Times.format(profile.startedMillis()));
            if (profile.writtenMillis() != Long.MIN_VALUE)
                g.writeStringField("written", Times.format(profile.writtenMillis()));
            g.writeArrayFieldStart("images");
            for (String image : profile.images()) g.writeString(image);
            g.writeEndArray();
            g.writeObjectFieldStart("roots");
            for (Map.Entry<String, java.util.Set<String>> root : profile.roots().entrySet()) {
                g.writeArrayFieldStart(root.getKey());
                for (String path : root.getValue()) g.writeString(path);
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeStringField("runSketch", profile.runSketch().encode());
            g.writeStringField("replicaSketch", profile.replicaSketch().encode());
            g.writeArrayFieldStart("behaviors");
            for (Map.Entry<BehaviorKey, BehaviorStats> e : profile.behaviors().entrySet()) {
                writeBehavior(g, e.getKey(), e.getValue());
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    private static void writeBehavior(JsonGenerator g, BehaviorKey key, BehaviorStats s) throws IOException {
        g.writeStartObject();
        g.writeStringField("category", key.category().wireName());
        g.writeStringField("operation", key.operation().wireName());
        g.writeStringField("resource", key.resource());
        if (key.category() == Category.PROCESS) {
            g.writeArrayFieldStart("args");
            for (String a : key.args()) g.writeString(a);
            g.writeEndArray();
        }
        if (!s.addresses().isEmpty()) {
            g.writeArrayFieldStart("addresses");
            for (String a : s.addresses()) g.writeString(a);
            g.writeEndArray();
        }
        if (!s.loaders().isEmpty()) {
            g.writeArrayFieldStart("loaders");
            for (String l : s.loaders()) g.writeString(l);
            g.writeEndArray();
        }
        if (key.component() != null) g.writeStringField(Behavior.COMPONENT, key.component());
        if (s.summary()) g.writeBooleanField("summary", true);
        g.writeNumberField("count", s.count());
        if (s.firstMillis() != Long.MAX_VALUE) g.writeStringField("first", Times.format(s.firstMillis()));
        if (s.lastMillis() != Long.MIN_VALUE) g.writeStringField("last", Times.format(s.lastMillis()));
        g.writeNumberField("replicas", s.replicas());
        g.writeNumberField("runs", s.runs());
        g.writeStringField("replicaSketch", s.replicaSketch().encode());
        g.writeStringField("runSketch", s.runSketch().encode());
        g.writeEndObject();
    }
}
