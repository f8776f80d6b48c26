package dev.inlay.runtime;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A rule's hit count: an {@link AtomicLong} until two threads collide on it, then a {@link LongAdder} as well. The
 * first hits come before the application's main() (the JVM reading its class files) and LongAdder's class set-up
 * builds VarHandles there; most rules are never contended, and the hot ones move to striped cells at their first
 * collision, as LongAdder itself does past its base.
 */
final class HitCounter {
    private final AtomicLong base = new AtomicLong();
    private volatile LongAdder cells;

    /** Counts one hit of {@code ruleId} in {@code counters}; allocates nothing once the rule has been seen. */
    static void count(ConcurrentHashMap<String, HitCounter> counters, String ruleId) {
        HitCounter counter = counters.get(ruleId);
        if (counter == null) {
            // Not computeIfAbsent with a lambda: the first hit comes before the application's main() (its class
            // file is read), and a lambda spins a class at its first use (milliseconds on JDK 25).
            HitCounter fresh = new HitCounter();
            counter = counters.putIfAbsent(ruleId, fresh);
            if (counter == null) counter = fresh;
        }
        counter.increment();
    }

    void increment() {
        LongAdder striped = cells;
        if (striped != null) {
            striped.increment();
            return;
        }
        long seen = base.get();
        if (!base.compareAndSet(seen, seen + 1)) contended().increment();
    }

    private synchronized LongAdder contended() {
        LongAdder striped = cells;
        if (striped == null) cells = striped = new LongAdder();
        return striped;
    }

    /** The hits since the previous call. */
    long takeCount() {
        LongAdder striped = cells;
        return base.getAndSet(0) + (striped == null ? 0 : striped.sumThenReset());
    }
}
