package dev.inlay.profiler.it;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * For {@code RolloutEndToEndTest} (cli module): reads {@code base.txt} in its working directory and, when started with
 * {@code -Dextra=FILE}, that file too (a configuration the policy was not learned with), then prints {@code STARTED}.
 */
public final class StartupApp {
    private StartupApp() {}

    public static void main(String[] args) throws Exception {
        System.out.println("base " + Files.readString(Path.of("base.txt")).length());
        String extra = System.getProperty("extra");
        if (extra != null)
            System.out.println("extra " + Files.readString(Path.of(extra)).length());
        System.out.println("STARTED");
    }
}
