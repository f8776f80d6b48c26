package dev.inlay.scanner.report;

import dev.inlay.scanner.gate.Verdict;
import dev.inlay.scanner.runtime.Loaded;
import dev.inlay.scanner.vuln.ScanResult;

import java.util.Map;

/**
 * A scan and the gate's verdict on it, with what was scanned ({@code target}, the SBOM) and against what; {@code
 * loaded}, with {@code --runtime}, whether each component's code was loaded (by {@code bomRef}), else null.
 */
public record ScanReport(String target, String database, ScanResult scan, Verdict verdict, Map<String, Loaded> loaded) {
    public ScanReport(String target, String database, ScanResult scan, Verdict verdict) {
        this(target, database, scan, verdict, null);
    }
}
