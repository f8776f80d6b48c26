package dev.inlay.probe;

/** Defined by the probe from bytes with no code source: a class definition the agent must see. */
public class DefinedFromBytes {}
