package dev.inlay.instrumenter.cli;

import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Options every image command shares. */
public final class RegistryOptions {
    @Option(names = "--insecure-registry", paramLabel = "HOST:PORT",
            description = "Allow plain HTTP (and unverified TLS) for this registry; repeatable. 127.0.0.1 and localhost are always allowed.")
    List<String> insecureRegistries = new ArrayList<>();

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "Only this platform of a multi-platform image (default: every platform).")
    String platform;

    @Option(names = {"-q", "--quiet"}, description = "No progress and no summary on stderr.")
    boolean quiet;

    Set<String> insecure() {
        return new LinkedHashSet<>(insecureRegistries);
    }
}
