package dev.inlay.instrumenter.wrap;

import dev.inlay.scanner.inventory.ImageInventory;
import dev.inlay.scanner.sbom.SbomWriter;

/** The one way an image's SBOM is written, by {@code inlay sbom} and into the layer by {@code inlay wrap}. */
public final class ImageSbom {
    private ImageSbom() {}

    /** CycloneDX 1.6 JSON of the inventory of the image whose manifest digest is {@code imageDigest}. */
    public static byte[] json(ImageInventory inventory, String imageDigest, String inlayVersion) {
        return SbomWriter.json(SbomWriter.bom(inventory, imageDigest, inlayVersion));
    }
}
