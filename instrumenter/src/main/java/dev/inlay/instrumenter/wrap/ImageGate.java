package dev.inlay.instrumenter.wrap;

import java.io.IOException;

/**
 * A check of the original image's inventory that can refuse the wrap ({@code inlay wrap --scan-db}): it runs on the
 * SBOM that wrap's single pass over the layers produces, before anything is written to the target.
 */
@FunctionalInterface
public interface ImageGate {
    /**
     * @param imageDigest the original image's manifest digest
     * @param sbom        its CycloneDX SBOM, as written into the layer
     * @throws Refused when the image fails the gate
     */
    void check(String imageDigest, byte[] sbom) throws IOException;

    /** The image failed the gate: {@code inlay wrap} writes nothing and exits 1, like every gate (docs/CLI.md). */
    final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Refused(String message) {
            super(message);
        }
    }
}
