package dev.inlay.instrumenter.admission;

import dev.inlay.scanner.gate.ScanVerdict;

import java.util.Optional;

/** Where the admission webhook finds the scan gate's verdict for an image, by manifest digest. */
public interface ScanVerdicts {
    /**
     * The verdict for {@code manifestDigest} ({@code sha256:HEX}), or empty when the image was never scanned. A verdict
     * that exists but cannot be read is a failed verdict naming the problem, never an empty result: the caller denies
     * either way, and the message says which.
     */
    Optional<ScanVerdict> forDigest(String manifestDigest);
}
