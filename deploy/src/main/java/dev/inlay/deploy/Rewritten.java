package dev.inlay.deploy;

/** A rewritten deployment document and the report of what changed. */
public record Rewritten(String text, DeployReport report) {}
