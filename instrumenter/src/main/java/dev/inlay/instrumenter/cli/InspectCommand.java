package dev.inlay.instrumenter.cli;

import picocli.CommandLine.Command;

@Command(name = "inspect", mixinStandardHelpOptions = true, description = "(not yet implemented)")
public final class InspectCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("inspect is not implemented yet");
    }
}
