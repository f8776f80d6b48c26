package dev.inlay.probe;

/** Defined by the probe with {@code MethodHandles.Lookup.defineClass}: a class definition the agent must see. */
public class DefinedByLookup {}
