package dev.inlay.probe;

/** Defined by the probe as a hidden class ({@code Lookup.defineHiddenClass}): a class definition the agent must see. */
public class DefinedHidden {}
