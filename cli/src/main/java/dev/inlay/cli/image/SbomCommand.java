package dev.inlay.cli.image;

import dev.inlay.cli.InlayVersion;
import dev.inlay.cli.InputException;
import dev.inlay.instrumenter.image.Image;
import dev.inlay.instrumenter.image.ImageArtifact;
import dev.inlay.instrumenter.transport.ImageLocation;
import dev.inlay.instrumenter.transport.ImageStores;
import dev.inlay.instrumenter.transport.Progress;
import dev.inlay.instrumenter.wrap.ImageSbom;
import dev.inlay.instrumenter.wrap.InventoryPass;
import dev.inlay.instrumenter.wrap.LayerInventoryReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;

@Command(
        name = "sbom",
        mixinStandardHelpOptions = true,
        description = {
            "Write the CycloneDX 1.6 SBOM of an image: what it carries, from its layers.",
            "Maven artifacts in jars, wars and ears (nested and shaded ones too), the JDK, Debian and Alpine "
                    + "packages, their licences and package URLs, each with the evidence that identified it and a "
                    + "confidence (docs/SCAN.md). Wrapped or not; per-layer results are cached by layer digest, so "
                    + "layers seen before are not read again."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:written",
            "2:bad command line",
            "3:bad input (corrupt or hostile image, several platforms without --platform)",
            "4:file or registry failure"
        })
public final class SbomCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "IMAGE",
            description = "registry://..., HOST/REPO:TAG, docker-archive:PATH, oci:DIR[:REF], oci-archive:PATH[:REF].")
    String image;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Write the SBOM to FILE instead of stdout.")
    Path output;

    @Mixin
    RegistryOptions registry;

    @Mixin
    LayerCacheOptions layerCache;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = Progress.forTerminal(registry.quiet);
        try (ImageStores stores = new ImageStores(registry.access(), progress)) {
            ImageArtifact artifact = stores.read(ImageLocation.parse(image), registry.platform);
            List<Image> images = InspectCommand.images(artifact);
            if (images.size() != 1) {
                throw new InputException(image + " holds " + images.size() + " platforms; choose one with --platform");
            }
            Image i = images.get(0);
            LayerInventoryReader.Result result =
                    LayerInventoryReader.read(i.layers(), new InventoryPass(layerCache.cache()), progress);
            byte[] json = ImageSbom.json(result.inventory(), i.digest(), InlayVersion.version());
            if (output == null) {
                PrintWriter out = spec.commandLine().getOut();
                out.print(new String(json, StandardCharsets.UTF_8));
                out.println();
                out.flush();
            } else {
                Path parent = output.toAbsolutePath().getParent();
                Path tmp = Files.createTempFile(parent, ".inlay-sbom-", ".tmp");
                try {
                    Files.write(tmp, json);
                    Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            LayerInventoryReader.Stats s = result.stats();
            if (!registry.quiet) {
                err.println("inlay: sbom of " + image + " (" + i.digest() + "): " + s.layers() + " layers, "
                        + s.cachedLayers() + " from the cache, " + (s.layers() - s.cachedLayers()) + " read ("
                        + s.bytesRead() + " bytes)");
            }
        }
        return 0;
    }
}
