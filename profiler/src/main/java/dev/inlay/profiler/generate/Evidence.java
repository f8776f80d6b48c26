package dev.inlay.profiler.generate;

import dev.inlay.profiler.profile.BehaviorKey;
import dev.inlay.profiler.profile.BehaviorStats;
import dev.inlay.profiler.profile.DistinctSketch;
import dev.inlay.profiler.profile.Times;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** What a generated rule rests on: the behaviors it was made from, summed. Written as the rule's comment. */
final class Evidence {
    private static final int EXAMPLES = 3;

    private long count;
    private long first = Long.MAX_VALUE;
    private long last = Long.MIN_VALUE;
    private final DistinctSketch replicas = new DistinctSketch(BehaviorStats.SKETCH_CAPACITY);
    private final DistinctSketch runs = new DistinctSketch(BehaviorStats.SKETCH_CAPACITY);
    private int behaviors;
    private final TreeSet<String> examples = new TreeSet<>();

    void add(BehaviorKey key, BehaviorStats stats) {
        count += stats.count();
        first = Math.min(first, stats.firstMillis());
        last = Math.max(last, stats.lastMillis());
        replicas.addAll(stats.replicaSketch());
        runs.addAll(stats.runSketch());
        behaviors++;
        examples.add(
                key.category().wireName().equals("process") && !key.args().isEmpty()
                        ? String.join(" ", key.args())
                        : key.resource());
        if (examples.size() > EXAMPLES) examples.pollLast();
    }

    void addAll(Evidence other) {
        count += other.count;
        first = Math.min(first, other.first);
        last = Math.max(last, other.last);
        replicas.addAll(other.replicas);
        runs.addAll(other.runs);
        behaviors += other.behaviors;
        for (String e : other.examples) {
            examples.add(e);
            if (examples.size() > EXAMPLES) examples.pollLast();
        }
    }

    long count() {
        return count;
    }

    /** Up to three of the learned names, printable, for messages. */
    String examples() {
        StringBuilder sb = new StringBuilder();
        for (String e : examples) {
            if (sb.length() > 0) sb.append(", ");
            e.codePoints()
                    .limit(120)
                    .forEach(c -> sb.append(
                            Character.isISOControl(c) || !Character.isDefined(c) ? "?" : Character.toString(c)));
        }
        return (behaviors > examples.size() ? "[" + sb + ", ...]" : "[" + sb + "]");
    }

    List<String> comment(boolean generalized) {
        List<String> lines = new ArrayList<>();
        StringBuilder sb = new StringBuilder("observed ")
                .append(count)
                .append(count == 1 ? " time" : " times")
                .append(" by ")
                .append(approx(replicas))
                .append(replicas.estimate() == 1 ? " replica" : " replicas")
                .append(" in ")
                .append(approx(runs))
                .append(runs.estimate() == 1 ? " run" : " runs");
        if (first != Long.MAX_VALUE && last != Long.MIN_VALUE) {
            sb.append(", first ").append(Times.format(first)).append(", last ").append(Times.format(last));
        }
        lines.add(sb.toString());
        if (generalized) {
            lines.add("generalized from " + behaviors + (behaviors == 1 ? " behavior" : " behaviors") + ", e.g. "
                    + String.join(", ", examples));
        }
        return lines;
    }

    private static String approx(DistinctSketch s) {
        return (s.exact() ? "" : "~") + s.estimate();
    }
}
