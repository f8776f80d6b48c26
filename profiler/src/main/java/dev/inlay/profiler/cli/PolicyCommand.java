package dev.inlay.profiler.cli;

import picocli.CommandLine.Command;

@Command(name = "policy", mixinStandardHelpOptions = true, description = "(not yet implemented)")
public final class PolicyCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("policy is not implemented yet");
    }
}
