package dev.inlay.policy.engine;

import dev.inlay.policy.Mode;
import dev.inlay.policy.Operation;
import dev.inlay.policy.Policy;

import java.net.InetAddress;
import java.util.List;

/**
 * A policy compiled into matchers. Thread-safe and lock-free: all state is built in {@link #compile} and never
 * changes. Deciding an allowed operation allocates nothing for normalized input.
 */
public final class PolicyEngine {
    private final Policy policy;

    private PolicyEngine(Policy policy) {
        this.policy = policy;
    }

    public static PolicyEngine compile(Policy policy) {
        return new PolicyEngine(policy);
    }

    public Policy policy() {
        return policy;
    }

    public Mode mode() {
        return policy.mode();
    }

    /** A file operation on an absolute path; the path is normalized lexically first. */
    public Decision file(Operation operation, String path) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * A network operation. {@code operation} is CONNECT (TCP connect, UDP send/connect), LISTEN (bind for TCP listen or
     * UDP receive) or ACCEPT. {@code host} is the name the application used, null when it used an address;
     * {@code address} may be null when unresolved. For LISTEN and ACCEPT the port is the local port.
     */
    public Decision network(Operation operation, boolean udp, String host, InetAddress address, int port) {
        throw new UnsupportedOperationException("TODO");
    }

    /** A DNS resolution of a host name. */
    public Decision dns(String name) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Starting a process; {@code command.get(0)} is the executable as given (resolved against PATH when possible). */
    public Decision process(List<String> command) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Loading a native library from an absolute path. */
    public Decision nativeLibrary(String path) {
        throw new UnsupportedOperationException("TODO");
    }

    /** A JNDI lookup of a name or URL ({@code ldap://host:389/x}, {@code java:comp/env}). */
    public Decision jndi(String name) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Deserializing an instance of a class. */
    public Decision deserialization(String className) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Defining a class from bytes that did not come from a file on disk, by a loader of the given class. */
    public Decision classDefinition(String className, String loaderClassName) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Executing a file that is missing from, or changed since, the image's baseline. */
    public Decision drift(String path) {
        throw new UnsupportedOperationException("TODO");
    }
}
