package dev.inlay.bench.agent;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.EnumSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Ways to walk the stack as the agent's attribution does (runtime-layer {@code Attribution}, docs/COVERAGE.md
 * "Attribution"): past {@code depth} skipped frames (the agent's and the JDK's frames of a hooked operation: 6 for
 * {@code new FileInputStream(File)}, 8 for {@code Socket.connect}) to the first frame whose class is not skipped, mapped
 * through a ClassValue. In one JVM without the agent, all variants in one fork so that they share the machine's state; run
 * with {@code bench/agent-jmh/walks.sh} on each JDK. Variants:
 * <ul>
 *   <li>{@code base}: RETAIN_CLASS_REFERENCE + SHOW_HIDDEN_FRAMES, default first batch, the Stream's iterator (the
 *       agent before issue 22's tuning);
 *   <li>{@code depth12}, {@code depth16}: the same with a first batch of 12 or 16 frames
 *       ({@code getInstance(options, 16)}; the JDK's default is 8);
 *   <li>{@code noHidden}: without SHOW_HIDDEN_FRAMES (not usable by the agent: lambdas' frames are needed), to see
 *       what showing hidden frames costs;
 *   <li>{@code findFirst}: {@code map} + {@code filter} + {@code findFirst} instead of the iterator;
 *   <li>{@code drop}, {@code drop12}, {@code drop16}: plus DROP_METHOD_INFO where the JDK has it (22+; elsewhere the
 *       same as base, depth12, depth16).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class StackWalks {
    static final int MAX_FRAMES = 64;

    @Param({"base", "depth12", "depth16", "noHidden", "findFirst", "drop", "drop12", "drop16"})
    public String variant;

    /** Frames skipped before the one attributed (at least 3: this class's own). */
    @Param({"6", "10", "20"})
    public int depth;

    private Function<Stream<StackWalker.StackFrame>, Object> walk;
    private StackWalker walker;

    @Setup
    public void setUp() {
        Set<StackWalker.Option> options =
                EnumSet.of(StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_HIDDEN_FRAMES);
        boolean drop = variant.startsWith("drop");
        if (drop) {
            for (StackWalker.Option option : StackWalker.Option.values()) {
                if (option.name().equals("DROP_METHOD_INFO")) options.add(option);
            }
        }
        if (variant.equals("noHidden")) options.remove(StackWalker.Option.SHOW_HIDDEN_FRAMES);
        int firstBatch = 0;
        for (int i = 0; i < variant.length(); i++) {
            if (Character.isDigit(variant.charAt(i))) firstBatch = firstBatch * 10 + variant.charAt(i) - '0';
        }
        walker = firstBatch > 0 ? StackWalker.getInstance(options, firstBatch) : StackWalker.getInstance(options);
        walk = variant.equals("findFirst") ? new FindFirst() : new IteratorWalk();
        Object found = walkNow();
        if (!(found instanceof String) || !((String) found).contains("jmh_generated")) {
            throw new IllegalStateException(variant + " found " + found + ", not JMH's stub");
        }
    }

    @Benchmark
    public Object attribute() {
        // walkNow, depth - 3 frames of Below, this method, then JMH's stub: the first frame not skipped
        return Below.down(this, depth - 3);
    }

    Object walkNow() {
        return walker.walk(walk);
    }

    /** The frames between the benchmark method and the walk: skipped, like the agent's and the JDK's. */
    static final class Below {
        static Object down(StackWalks bench, int remaining) {
            return remaining <= 0 ? bench.walkNow() : down(bench, remaining - 1);
        }
    }

    static boolean skipped(Class<?> type) {
        return type == Below.class || type == StackWalks.class || type.getClassLoader() == null;
    }

    static final ClassValue<Object> BY_CLASS = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
            return type.getName();
        }
    };

    static final Object SKIP = new Object();

    static final class IteratorWalk implements Function<Stream<StackWalker.StackFrame>, Object> {
        @Override
        public Object apply(Stream<StackWalker.StackFrame> frames) {
            Iterator<StackWalker.StackFrame> it = frames.iterator();
            for (int i = 0; i < MAX_FRAMES && it.hasNext(); i++) {
                Class<?> type = it.next().getDeclaringClass();
                if (!skipped(type)) return BY_CLASS.get(type);
            }
            return null;
        }
    }

    static final class FindFirst implements Function<Stream<StackWalker.StackFrame>, Object> {
        private static final Classify CLASSIFY = new Classify();
        private static final Found FOUND = new Found();

        @Override
        public Object apply(Stream<StackWalker.StackFrame> frames) {
            return frames.limit(MAX_FRAMES).map(CLASSIFY).filter(FOUND).findFirst().orElse(null);
        }
    }

    static final class Classify implements Function<StackWalker.StackFrame, Object> {
        @Override
        public Object apply(StackWalker.StackFrame frame) {
            Class<?> type = frame.getDeclaringClass();
            return skipped(type) ? SKIP : BY_CLASS.get(type);
        }
    }

    static final class Found implements java.util.function.Predicate<Object> {
        @Override
        public boolean test(Object o) {
            return o != SKIP;
        }
    }
}
