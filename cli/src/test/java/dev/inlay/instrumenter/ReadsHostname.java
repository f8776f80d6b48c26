package dev.inlay.instrumenter;

import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the file named by its argument and says so: the application of {@link WrapTest}'s shadow policy run. */
public final class ReadsHostname {
    private ReadsHostname() {}

    public static void main(String[] args) throws Exception {
        System.out.println("READ " + Files.readAllBytes(Path.of(args[0])).length);
    }
}
