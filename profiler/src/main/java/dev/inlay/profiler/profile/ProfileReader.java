package dev.inlay.profiler.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlay.model.Behavior;
import dev.inlay.model.Event;
import dev.inlay.model.Profile;
import dev.inlay.model.WorkloadFields;
import dev.inlay.policy.Category;
import dev.inlay.policy.Operation;
import dev.inlay.profiler.BoundedLines;
import dev.inlay.profiler.JsonFields;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads profile documents out of anything that holds them: profile files, directories of them, and captured container
 * output where profile lines are mixed with the application's own log (a saved {@code kubectl logs}, with or without
 * {@code --timestamps}, a CloudWatch export). Whatever precedes the {@code {} on a line is ignored; lines that are not
 * inlay profile objects are skipped and counted. Inputs are streamed line by line.
 */
public final class ProfileReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String MARKER = "{\"" + Event.INLAY + "\"";

    private ProfileReader() {}

    /** Reads every input into {@code into}: {@code -} is standard input, directories are read recursively. */
    public static void readAll(List<String> inputs, InputStream stdin, MergedProfile into) throws IOException {
        for (String input : inputs) {
            if (input.equals("-")) {
                read(new InputStreamReader(stdin, StandardCharsets.UTF_8), into);
                continue;
            }
            Path path = Path.of(input);
            if (Files.isDirectory(path)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(path)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path f : files) read(f, into);
            } else {
                read(path, into);
            }
        }
    }

    public static void read(Path file, MergedProfile into) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            read(r, file.toString(), into);
        }
    }

    public static void read(Reader reader, MergedProfile into) throws IOException {
        read(reader, "standard input", into);
    }

    /** @param source names the input in the error for a line over {@link BoundedLines#MAX_LINE_CHARS} */
    public static void read(Reader reader, String source, MergedProfile into) throws IOException {
        BoundedLines lines = new BoundedLines(reader, source);
        MergedProfile.ReadCounters counters = into.counters();
        String line = lines.next();
        while (line != null) {
            String next = lines.next();
            counters.lines++;
            readLine(line, next == null, into);
            line = next;
        }
    }

    private static void readLine(String line, boolean last, MergedProfile into) {
        MergedProfile.ReadCounters counters = into.counters();
        int start = line.indexOf(MARKER);
        if (start < 0) {
            if (!line.contains("\"inlay\"")) {
                counters.otherLines++;
                return;
            }
            start = line.indexOf('{');
            if (start < 0) {
                counters.otherLines++;
                return;
            }
        }
        String json = line.substring(start);
        JsonNode doc;
        try {
            doc = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            if (last) counters.truncated++;
            else counters.malformed++;
            return;
        }
        if (doc == null
                || !doc.isObject()
                || !Profile.KIND.equals(doc.path(Event.INLAY).asText())) {
            counters.otherLines++;
            return;
        }
        try {
            if (doc.path("merged").asBoolean(false)) applyMerged(doc, digest(json), into);
            else applyRaw(doc, into);
        } catch (IllegalArgumentException e) {
            counters.malformed++;
        }
    }

    /** A behavior parsed from a document, applied only once the whole document is known to be good and new. */
    private record Pending(
            BehaviorKey key,
            long count,
            long first,
            long last,
            List<String> addresses,
            List<String> loaders,
            String replicaSketch,
            String runSketch,
            boolean summary) {}

    private static void applyRaw(JsonNode doc, MergedProfile into) {
        String run = requiredText(doc, Profile.RUN);
        int seq = requiredInt(doc, Profile.SEQ);
        int chunk = doc.path(Profile.CHUNK).asInt(0);
        int chunks = doc.path(Profile.CHUNKS).asInt(1);
        String replica = doc.path(Profile.REPLICA)
                .asText(doc.path(Profile.WORKLOAD).path(WorkloadFields.HOSTNAME).asText(""));
        if (replica.isEmpty()) replica = run;
        long written = Times.parse(doc.path(Profile.WRITTEN).asText(null), Long.MIN_VALUE);
        long started = Times.parse(doc.path(Profile.STARTED).asText(null), written);
        List<Pending> pending = parseBehaviors(doc, written, into);
        if (!into.firstTime(run, seq, chunk, chunks)) {
            into.counters().duplicates++;
            return;
        }
        long runHash = DistinctSketch.hash(run);
        long replicaHash = DistinctSketch.hash(replica);
        into.countDocument(1, started == Long.MIN_VALUE ? Long.MAX_VALUE : started, written);
        into.notRecorded(run, doc.path(Profile.NOT_RECORDED).asLong(0));
        into.runSketch().addHash(runHash);
        into.replicaSketch().addHash(replicaHash);
        into.addImage(doc.path(Profile.WORKLOAD).path(WorkloadFields.IMAGE).asText(null));
        addRoots(doc, into);
        for (Pending p : pending) {
            BehaviorStats s = apply(p, into);
            s.runSketch().addHash(runHash);
            s.replicaSketch().addHash(replicaHash);
        }
    }

    /** {@code "roots":{"java.home":["/usr/lib/jvm/..."],...}}: what each root stood for where it was learned. */
    private static void addRoots(JsonNode doc, MergedProfile into) {
        JsonNode roots = doc.path(Profile.ROOTS);
        if (!roots.isObject()) return;
        for (java.util.Iterator<Map.Entry<String, JsonNode>> it = roots.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> root = it.next();
            for (JsonNode path : root.getValue()) if (path.isTextual()) into.addRoot(root.getKey(), path.asText());
        }
    }

    private static void applyMerged(JsonNode doc, String digest, MergedProfile into) {
        long written = Times.parse(doc.path(Profile.WRITTEN).asText(null), Long.MIN_VALUE);
        long started = Times.parse(doc.path(Profile.STARTED).asText(null), Long.MAX_VALUE);
        List<Pending> pending = parseBehaviors(doc, written, into);
        DistinctSketch runs = new DistinctSketch(MergedProfile.TOTALS_SKETCH_CAPACITY);
        DistinctSketch replicas = new DistinctSketch(MergedProfile.TOTALS_SKETCH_CAPACITY);
        runs.addEncoded(doc.path("runSketch").asText(""));
        replicas.addEncoded(doc.path("replicaSketch").asText(""));
        if (!into.firstTimeMerged(digest)) {
            into.counters().duplicates++;
            return;
        }
        into.countDocument(doc.path("documents").asLong(0), started, written);
        java.util.Iterator<java.util.Map.Entry<String, JsonNode>> lossy =
                doc.path("notRecordedRuns").fields();
        while (lossy.hasNext()) {
            java.util.Map.Entry<String, JsonNode> run = lossy.next();
            into.notRecorded(run.getKey(), run.getValue().asLong(0));
        }
        into.runSketch().addAll(runs);
        into.replicaSketch().addAll(replicas);
        for (JsonNode image : doc.path("images")) into.addImage(image.asText());
        addRoots(doc, into);
        for (Pending p : pending) {
            BehaviorStats s = apply(p, into);
            if (p.runSketch != null) s.runSketch().addEncoded(p.runSketch);
            if (p.replicaSketch != null) s.replicaSketch().addEncoded(p.replicaSketch);
        }
    }

    private static BehaviorStats apply(Pending p, MergedProfile into) {
        BehaviorStats s = into.stats(p.key);
        s.observe(p.count, p.first, p.last);
        p.addresses.forEach(s::addAddress);
        p.loaders.forEach(s::addLoader);
        if (p.summary) s.markSummary();
        return s;
    }

    private static List<Pending> parseBehaviors(JsonNode doc, long written, MergedProfile into) {
        JsonNode list = doc.path(Profile.BEHAVIORS);
        if (!list.isArray()) throw new IllegalArgumentException("no behaviors array");
        List<Pending> out = new ArrayList<>(list.size());
        for (JsonNode b : list) {
            Behavior behavior = Behavior.read(new JsonFields(b));
            Category category = Category.fromWire(behavior.category);
            Operation operation = Operation.fromWire(behavior.operation);
            String resource = behavior.resource;
            if (category == null
                    || operation == null
                    || resource.isEmpty()
                    || !category.operations().contains(operation)) {
                into.counters().skippedBehaviors++;
                continue;
            }
            List<String> args = category == Category.PROCESS && behavior.args != null ? behavior.args : List.of();
            long count = b.path(Behavior.COUNT).asLong(1);
            if (count < 0) throw new IllegalArgumentException("negative count");
            long last = Times.parse(b.path(Behavior.LAST).asText(null), written);
            long first = Times.parse(b.path(Behavior.FIRST).asText(null), last);
            List<String> addresses = new ArrayList<>();
            if (behavior.address != null) addresses.add(behavior.address);
            for (JsonNode a : b.path("addresses")) addresses.add(a.asText());
            List<String> loaders = new ArrayList<>();
            if (behavior.loader != null) loaders.add(behavior.loader);
            for (JsonNode l : b.path("loaders")) loaders.add(l.asText());
            out.add(new Pending(
                    new BehaviorKey(category, operation, resource, args, component(behavior.component)),
                    count,
                    first == Long.MIN_VALUE ? Long.MAX_VALUE : first,
                    last,
                    addresses,
                    loaders,
                    b.hasNonNull("replicaSketch") ? b.get("replicaSketch").asText() : null,
                    b.hasNonNull("runSketch") ? b.get("runSketch").asText() : null,
                    category == Category.FILE && behavior.summary));
        }
        return out;
    }

    /** An empty component is no component: the JVM itself. */
    private static String component(String id) {
        return id == null || id.isEmpty() ? null : id;
    }

    private static String requiredText(JsonNode doc, String field) {
        JsonNode n = doc.get(field);
        if (n == null || !n.isTextual() || n.asText().isEmpty()) throw new IllegalArgumentException("no " + field);
        return n.asText();
    }

    private static int requiredInt(JsonNode doc, String field) {
        JsonNode n = doc.get(field);
        if (n == null || !n.canConvertToInt() || n.asInt() < 0) throw new IllegalArgumentException("no " + field);
        return n.asInt();
    }

    private static String digest(String json) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(json.strip().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
