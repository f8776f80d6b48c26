package dev.inlay.policy.engine;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runs decisions as the engine tests need them: on many threads at once, or counting what one thread allocates. */
final class DecisionRuns {
    private DecisionRuns() {}

    /** Runs {@code countWrong} on {@code threads} threads at once; each must count no wrong decision. */
    static void assertNoneWrongOnThreads(int threads, Callable<Integer> countWrong) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) results.add(pool.submit(countWrong));
            for (Future<Integer> f : results) assertEquals(0, f.get());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The bytes this thread allocates running {@code work} (warm it up first). */
    static long bytesAllocatedBy(Runnable work) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        work.run();
        return mx.getThreadAllocatedBytes(tid) - before;
    }
}
