package dev.inlay.probe;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Load for the sink tests: {@code COUNT DIR ACTION [TARGET [TRIGGER]]}: reads COUNT distinct (missing) files with long names in
 * DIR, prints
 * BURST, then ACTION: {@code exit} returns, {@code sleep} sleeps a minute (to be stopped with SIGTERM), {@code read}
 * reads TARGET once and prints SURVIVED, {@code watch} reads TARGET every 50 ms until it is denied (prints DENIED, exit
 * 0) or a minute passed (prints NEVER DENIED, exit 1).
 */
public final class SinkLoad {
    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        String action = args[2];
        // long names: each event or behavior a few hundred bytes more, so that a burst outgrows any socket buffer
        String pad = "x".repeat(200);
        for (int i = 0; i < count; i++) {
            try {
                Files.readAllBytes(dir.resolve("b" + i + pad + ".txt"));
            } catch (java.io.IOException | SecurityException expected) {
                // a missing file is still a checked and recorded attempt
            }
        }
        System.out.println("BURST");
        System.out.flush();
        switch (action) {
            case "exit" -> {}
            case "sleep" -> Thread.sleep(60_000);
            case "read" -> {
                Path trigger = Path.of(args[4]);
                long end = System.currentTimeMillis() + 60_000;
                while (!trigger.toFile().exists() && System.currentTimeMillis() < end) Thread.sleep(20);
                read(Path.of(args[3]));
                System.out.println("SURVIVED");
            }
            case "watch" -> {
                long end = System.currentTimeMillis() + 60_000;
                while (System.currentTimeMillis() < end) {
                    if (!read(Path.of(args[3]))) {
                        System.out.println("DENIED");
                        return;
                    }
                    Thread.sleep(50);
                }
                System.out.println("NEVER DENIED");
                System.exit(1);
            }
            default -> throw new IllegalArgumentException(action);
        }
    }

    private static boolean read(Path target) throws java.io.IOException {
        try {
            Files.readAllBytes(target);
            return true;
        } catch (SecurityException denied) {
            return false;
        }
    }
}
