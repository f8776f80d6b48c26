package dev.inlay.policy;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

import static dev.inlay.policy.Operation.ACCEPT;
import static dev.inlay.policy.Operation.ATTACH;
import static dev.inlay.policy.Operation.CONNECT;
import static dev.inlay.policy.Operation.CREATE;
import static dev.inlay.policy.Operation.DEFINE;
import static dev.inlay.policy.Operation.DELETE;
import static dev.inlay.policy.Operation.DESERIALIZE;
import static dev.inlay.policy.Operation.EXEC;
import static dev.inlay.policy.Operation.INSTRUMENT;
import static dev.inlay.policy.Operation.LIST;
import static dev.inlay.policy.Operation.LISTEN;
import static dev.inlay.policy.Operation.LOAD;
import static dev.inlay.policy.Operation.LOOKUP;
import static dev.inlay.policy.Operation.READ;
import static dev.inlay.policy.Operation.REFLECT;
import static dev.inlay.policy.Operation.RESOLVE;
import static dev.inlay.policy.Operation.UNSAFE;
import static dev.inlay.policy.Operation.WRITE;
import static dev.inlay.policy.Selector.ARGS;
import static dev.inlay.policy.Selector.CALLERS;
import static dev.inlay.policy.Selector.CIDRS;
import static dev.inlay.policy.Selector.CLASSES;
import static dev.inlay.policy.Selector.COMPONENTS;
import static dev.inlay.policy.Selector.EXECUTABLES;
import static dev.inlay.policy.Selector.HOSTS;
import static dev.inlay.policy.Selector.LOADERS;
import static dev.inlay.policy.Selector.NAMES;
import static dev.inlay.policy.Selector.PATHS;
import static dev.inlay.policy.Selector.PORTS;
import static dev.inlay.policy.Selector.PROTOCOLS;
import static dev.inlay.policy.Selector.SCHEMES;

/** A family of sensitive operations, each with its own rule list and default action in a policy. */
public enum Category {
    FILE("file", "files", EnumSet.of(READ, WRITE, CREATE, DELETE, LIST, EXEC), EnumSet.of(PATHS, COMPONENTS)),
    NETWORK(
            "network",
            "network",
            EnumSet.of(CONNECT, LISTEN, ACCEPT),
            EnumSet.of(HOSTS, CIDRS, PORTS, PROTOCOLS, COMPONENTS)),
    DNS("dns", "dns", EnumSet.of(RESOLVE), EnumSet.of(NAMES, COMPONENTS)),
    PROCESS("process", "processes", EnumSet.of(EXEC), EnumSet.of(EXECUTABLES, ARGS, COMPONENTS)),
    NATIVE("native", "nativeLibraries", EnumSet.of(LOAD), EnumSet.of(PATHS, COMPONENTS)),
    JNDI("jndi", "jndi", EnumSet.of(LOOKUP), EnumSet.of(SCHEMES, HOSTS, COMPONENTS)),
    DESERIALIZATION("deserialization", "deserialization", EnumSet.of(DESERIALIZE), EnumSet.of(CLASSES, COMPONENTS)),
    CLASS_DEFINITION("classdef", "classDefinition", EnumSet.of(DEFINE), EnumSet.of(CLASSES, LOADERS, COMPONENTS)),
    /** Executing a file that was not in the original image, or that changed since it was wrapped. */
    DRIFT("drift", "drift", EnumSet.of(EXEC), EnumSet.of(PATHS, COMPONENTS)),
    /**
     * Powers over the JVM itself, which would let code switch inlay off: Unsafe, reflection into the JDK's internals,
     * another agent's Instrumentation, attach. Decided by the caller's code source and the class concerned.
     */
    CAPABILITY(
            "capability",
            "capabilities",
            EnumSet.of(UNSAFE, REFLECT, INSTRUMENT, ATTACH),
            EnumSet.of(CALLERS, CLASSES, COMPONENTS));

    private final String wireName;
    private final String yamlName;
    private final Set<Operation> operations;
    private final Set<Selector> selectors;

    Category(String wireName, String yamlName, Set<Operation> operations, Set<Selector> selectors) {
        this.wireName = wireName;
        this.yamlName = yamlName;
        this.operations = Collections.unmodifiableSet(operations);
        this.selectors = Collections.unmodifiableSet(selectors);
    }

    /** The name used in events and profiles ({@code "file"}). */
    public String wireName() {
        return wireName;
    }

    /** The key of this category's rule list and default in a policy document ({@code "files"}). */
    public String yamlName() {
        return yamlName;
    }

    public Set<Operation> operations() {
        return operations;
    }

    public Set<Selector> selectors() {
        return selectors;
    }

    public static Category fromWire(String s) {
        for (Category c : values()) {
            if (c.wireName.equals(s)) return c;
        }
        return null;
    }

    public static Category fromYaml(String s) {
        for (Category c : values()) {
            if (c.yamlName.equals(s)) return c;
        }
        return null;
    }
}
