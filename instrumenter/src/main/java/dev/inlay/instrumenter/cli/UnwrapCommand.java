package dev.inlay.instrumenter.cli;

import picocli.CommandLine.Command;

@Command(name = "unwrap", mixinStandardHelpOptions = true, description = "(not yet implemented)")
public final class UnwrapCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("unwrap is not implemented yet");
    }
}
