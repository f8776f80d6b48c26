package dev.inlay.probe;

/**
 * Defined by the probe through {@code Lookup::defineClass} called by the JDK's own code ({@code MethodHandleProxies}):
 * the JDK on the stack does not make the definition the JDK's.
 */
public class DefinedIndirectly {}
