package dev.inlay.cli.common;

import dev.inlay.policy.PolicyException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of every inlay command and the one mapping from a failure to its code, shared by the whole command
 * line (the {@code inlay} root and the profiler's commands run on their own). docs/CLI.md is the contract.
 */
public enum ExitCode {
    /** Success; for gates (lint, diff, completeness) also: nothing to report. */
    OK(0, "success (for gates: nothing found)"),
    /** The command ran and found something a CI gate should stop on (lint findings, policy changes, not enough learning). */
    FINDINGS(1, "a gate found something (lint findings, policy widened, learning incomplete)"),
    /** Bad command line: unknown option, missing argument, bad option value. */
    USAGE(2, "bad command line (unknown option, missing argument, bad option value such as --mode)"),
    /** Bad input: a policy, profile, image or document that is malformed, hostile or of the wrong kind. */
    INPUT(3, "bad input (malformed, hostile or wrong-kind policy, profile, image or document)"),
    /** A file, network or registry operation failed. */
    IO(4, "file, network or registry failure (no such file, permission denied, unreachable registry)"),
    /** A bug in inlay. */
    INTERNAL(70, "internal error (a bug: please report it)");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    /** The code a failure ends the command with. */
    public static ExitCode of(Throwable t) {
        if (t instanceof CommandLine.ParameterException) return USAGE;
        // Bad input: InputException, ProfilerInputException, DeployInputException, MalformedImageException all extend
        // it.
        if (t instanceof PolicyException || t instanceof IllegalArgumentException) return INPUT;
        if (t instanceof IOException || t instanceof UncheckedIOException) return IO;
        return INTERNAL;
    }

    public static int forException(Throwable t) {
        return of(t).code;
    }

    /** For picocli's "Exit codes:" section of the root help. */
    public static Map<String, String> helpList() {
        Map<String, String> list = new LinkedHashMap<>();
        for (ExitCode c : values()) list.put(Integer.toString(c.code), c.meaning);
        return list;
    }
}
