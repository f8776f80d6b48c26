package dev.inlay.deploy;

import picocli.CommandLine.Command;

@Command(name = "deploy", mixinStandardHelpOptions = true, description = "(not yet implemented)")
public final class DeployCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("deploy is not implemented yet");
    }
}
