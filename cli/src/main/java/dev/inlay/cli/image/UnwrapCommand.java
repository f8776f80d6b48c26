package dev.inlay.cli.image;

import dev.inlay.cli.InputException;
import dev.inlay.instrumenter.image.ImageArtifact;
import dev.inlay.instrumenter.transport.ArchiveTargets;
import dev.inlay.instrumenter.transport.ImageLocation;
import dev.inlay.instrumenter.transport.ImageStores;
import dev.inlay.instrumenter.transport.Progress;
import dev.inlay.instrumenter.wrap.Wrapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.Callable;

@Command(
        name = "unwrap",
        mixinStandardHelpOptions = true,
        description = {
            "Give back the original of a wrapped image.",
            "The inlay layer is removed and the original config and manifest restored byte for byte (same "
                    + "manifest digest as before wrapping)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:unwrapped",
            "2:bad command line",
            "3:bad input (not wrapped by inlay, corrupt or hostile image)",
            "4:file or registry failure"
        })
public final class UnwrapCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SOURCE", description = "A wrapped image.")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET", description = "Where to write the original image.")
    String target;

    @Option(names = "--force", description = "Replace an existing archive TARGET that inlay did not write.")
    boolean force;

    @Mixin
    RegistryOptions registry;

    @Mixin
    RegistryOptions.TransferAuthOptions transferAuth;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ImageLocation from = ImageLocation.parse(source);
        ImageLocation to = ImageLocation.parse(target);
        ArchiveTargets.checkOverwrite(to, force);
        try (ImageStores stores =
                new ImageStores(registry.access(transferAuth), Progress.forTerminal(registry.quiet))) {
            ImageArtifact wrapped = stores.read(from, registry.platform);
            ImageArtifact original = Wrapper.unwrapIfWrapped(wrapped);
            if (Arrays.equals(original.manifestBytes(), wrapped.manifestBytes())) {
                throw new InputException(source + " is not wrapped by inlay");
            }
            String digest = stores.write(to, original);
            if (!registry.quiet)
                spec.commandLine()
                        .getErr()
                        .println("inlay: unwrapped " + source + " -> " + target + "; " + stores.stats());
            spec.commandLine().getOut().println(digest);
        }
        return 0;
    }
}
