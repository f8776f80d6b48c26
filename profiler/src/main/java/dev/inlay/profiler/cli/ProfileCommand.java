package dev.inlay.profiler.cli;

import picocli.CommandLine.Command;

@Command(name = "profile", mixinStandardHelpOptions = true, description = "(not yet implemented)")
public final class ProfileCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("profile is not implemented yet");
    }
}
