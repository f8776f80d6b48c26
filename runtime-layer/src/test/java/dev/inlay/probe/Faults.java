package dev.inlay.probe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Load for the fault tests: {@code THREADS FILES_PER_THREAD DIR [SLEEP_MILLIS]}: many threads each touch their own
 * files (distinct behaviors), then the program prints DONE and optionally sleeps (to be killed).
 */
public final class Faults {
    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int files = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]);
        long sleep = args.length > 3 ? Long.parseLong(args[3]) : 0;
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                for (int i = 0; i < files; i++) {
                    try {
                        Files.exists(dir); // unhooked: keeps the loop honest without adding behaviors
                        Files.readAllBytes(dir.resolve("t" + id + "-" + i + ".txt"));
                    } catch (java.io.IOException missing) {
                        // a missing file is still a recorded attempt to read it
                    }
                }
            });
            th.start();
            all.add(th);
        }
        for (Thread th : all) th.join();
        System.out.println("DONE");
        System.out.flush();
        if (sleep > 0) Thread.sleep(sleep);
    }
}
