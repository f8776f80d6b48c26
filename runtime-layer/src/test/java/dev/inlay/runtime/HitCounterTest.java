package dev.inlay.runtime;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HitCounterTest {
    /** Eight threads on one counter collide (it moves to striped cells) and lose no hit; a take resets it. */
    @Test
    void countsEveryHitUnderContentionAndResetsOnTake() throws Exception {
        HitCounter counter = new HitCounter();
        counter.increment();
        assertEquals(1, counter.takeCount());
        assertEquals(0, counter.takeCount());
        int threads = 8;
        int each = 200_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) counter.increment();
            });
            thread.start();
            started.add(thread);
        }
        go.countDown();
        long taken = 0;
        for (Thread thread : started) {
            taken += counter.takeCount(); // concurrent takes lose nothing either
            thread.join();
        }
        taken += counter.takeCount();
        assertEquals((long) threads * each, taken);
        assertEquals(0, counter.takeCount());
    }
}
