package dev.inlay.deploy.admission;

import java.util.List;

/**
 * The outcome of the scan gate for one image manifest: whether it passed and, when it did not, why (one line per
 * finding or broken rule). Written by the ship phase, read at admission; the file format is in docs/DEPLOY.md
 * ("Scan verdicts").
 *
 * @param digest the manifest (or index) digest the verdict is for
 * @param passed whether the image passed the gate
 * @param reasons why it did not (empty when it passed)
 * @param source where the verdict came from, for messages
 */
public record ScanVerdict(String digest, boolean passed, List<String> reasons, String source) {
    public ScanVerdict {
        reasons = List.copyOf(reasons);
    }
}
