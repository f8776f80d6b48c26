package dev.inlay.instrumenter.wrap;

import dev.inlay.policy.Policy;
import dev.inlay.policy.PolicyException;
import dev.inlay.policy.PolicyParser;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A policy file as {@code inlay wrap} bakes it: the bytes people reviewed, written into the layer as they are, and
 * the policy they parse to, read once (errors name the file, line and column) and then compiled, pinned and checked
 * for the JVM flags it allows, for every platform of the image, without being parsed again.
 */
public record PolicyDocument(byte[] yaml, Policy policy) {
    /** Reads and validates a policy file (bounded by the parser's size limit). */
    public static PolicyDocument read(Path file) throws PolicyException {
        byte[] yaml = PolicyParser.read(file);
        return new PolicyDocument(yaml, PolicyParser.parse(new String(yaml, StandardCharsets.UTF_8), file.toString()));
    }
}
