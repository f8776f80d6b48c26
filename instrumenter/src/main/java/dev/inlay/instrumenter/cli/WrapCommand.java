package dev.inlay.instrumenter.cli;

import picocli.CommandLine.Command;

@Command(name = "wrap", mixinStandardHelpOptions = true, description = "(not yet implemented)")
public final class WrapCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("wrap is not implemented yet");
    }
}
