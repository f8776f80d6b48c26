package dev.inlay.cli.image;

import dev.inlay.cli.InlayVersion;
import dev.inlay.cli.scan.ScanCommand;
import dev.inlay.instrumenter.image.Image;
import dev.inlay.instrumenter.image.ImageArtifact;
import dev.inlay.instrumenter.transport.ImageLocation;
import dev.inlay.instrumenter.transport.ImageStores;
import dev.inlay.instrumenter.transport.Progress;
import dev.inlay.instrumenter.wrap.ImageSbom;
import dev.inlay.instrumenter.wrap.InventoryPass;
import dev.inlay.instrumenter.wrap.LayerInventoryReader;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.model.Bom;
import org.cyclonedx.parsers.JsonParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code inlay scan SBOM|IMAGE}: the scanner's command, which reads SBOM files, given images too. An existing file is
 * an SBOM; an image location is inventoried as {@code inlay sbom} does (layer cache included); anything else is a
 * missing SBOM file.
 */
@Command(
        name = "scan",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Matches the components of a CycloneDX JSON SBOM, or of an image (inventoried as 'inlay sbom' does), "
                    + "against an OSV advisory database (a directory of OSV JSON files or OSV's all.zip per ecosystem; see "
                    + "'inlay db fetch') and applies the gate.",
            "Exit 1 when the gate trips (a finding at or above --fail-on that no ignore covers, or a denied licence)."
        },
        footer = {"", "docs/SCAN.md describes matching, the ignore file and the outputs."})
public final class ImageScanCommand extends ScanCommand {
    @Mixin
    RegistryOptions registry;

    @Mixin
    LayerCacheOptions layerCache;

    @Override
    protected Bom bom(String input) throws IOException {
        if (Files.isRegularFile(Path.of(input))) return super.bom(input);
        ImageLocation location;
        try {
            location = ImageLocation.parse(input);
        } catch (IllegalArgumentException notAnImage) {
            return super.bom(input); // a file that is not there: said as such (exit 4)
        }
        try (ImageStores stores = new ImageStores(registry.access(), Progress.forTerminal(registry.quiet))) {
            ImageArtifact artifact = stores.read(location, registry.platform);
            List<Image> images = InspectCommand.images(artifact);
            if (images.size() != 1) {
                throw new IllegalArgumentException(
                        input + " holds " + images.size() + " platforms; choose one with --platform");
            }
            Image image = images.get(0);
            LayerInventoryReader.Result result = LayerInventoryReader.read(
                    image.layers(), new InventoryPass(layerCache.cache()), Progress.forTerminal(registry.quiet));
            byte[] json = ImageSbom.json(result.inventory(), image.digest(), InlayVersion.version());
            try {
                return new JsonParser().parse(json);
            } catch (ParseException e) {
                throw new IllegalStateException("inlay's own SBOM does not parse: " + e, e);
            }
        }
    }
}
