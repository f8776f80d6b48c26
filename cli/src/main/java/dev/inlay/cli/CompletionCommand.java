package dev.inlay.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code inlay completion bash|zsh}: the shell completion script, generated from the command definitions so that it
 * never falls behind them. zsh runs the same script through {@code bashcompinit}, which the script loads itself.
 */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = {
            "Print a shell completion script for bash or zsh.",
            "bash: source <(inlay completion bash), or save it in /etc/bash_completion.d/inlay. "
                    + "zsh: source <(inlay completion zsh) in ~/.zshrc (it loads bashcompinit)."
        })
final class CompletionCommand implements Callable<Integer> {
    enum Shell {
        bash,
        zsh
    }

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(AutoComplete.bash("inlay", spec.root().commandLine()));
        out.flush();
        return 0;
    }
}
