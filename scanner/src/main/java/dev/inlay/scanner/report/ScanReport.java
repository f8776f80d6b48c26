package dev.inlay.scanner.report;

import dev.inlay.scanner.gate.Verdict;
import dev.inlay.scanner.vuln.ScanResult;

/** A scan and the gate's verdict on it, with what was scanned ({@code target}, the SBOM) and against what. */
public record ScanReport(String target, String database, ScanResult scan, Verdict verdict) {}
