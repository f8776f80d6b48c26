package dev.inlay.cli;

import dev.inlay.policy.PolicyException;
import picocli.CommandLine;

import java.io.IOException;

/** Exit codes every inlay command uses, so that a pipeline can act on them. Documented in docs/CLI.md. */
public final class ExitCodes {
    /** Success; for gates (lint, diff, completeness) also: nothing to report. */
    public static final int OK = 0;
    /** The command ran and found something a CI gate should stop on (lint findings, policy changes, not enough learning). */
    public static final int FINDINGS = 1;
    /** Bad command line: unknown option, missing argument. */
    public static final int USAGE = 2;
    /** Bad input: a policy, profile, image or document that is malformed, hostile or of the wrong kind. */
    public static final int INPUT = 3;
    /** A file, network or registry operation failed. */
    public static final int IO = 4;
    /** A bug in inlay. */
    public static final int INTERNAL = 70;

    static final String OK_TEXT = "0:success (for gates: nothing found)";
    static final String FINDINGS_TEXT = "1:a gate found something (lint findings, policy widened, learning incomplete)";
    static final String USAGE_TEXT = "2:bad command line";
    static final String INPUT_TEXT = "3:bad input (malformed or hostile policy, profile, image or document)";
    static final String IO_TEXT = "4:file, network or registry failure";
    static final String INTERNAL_TEXT = "70:internal error (a bug: please report it)";

    private ExitCodes() {
    }

    static int forException(Throwable t) {
        if (t instanceof InputException || t instanceof PolicyException || t instanceof IllegalArgumentException) return INPUT;
        if (t instanceof IOException) return IO;
        if (t instanceof CommandLine.ParameterException) return USAGE;
        return INTERNAL;
    }
}
