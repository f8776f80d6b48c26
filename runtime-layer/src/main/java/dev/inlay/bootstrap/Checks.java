package dev.inlay.bootstrap;

import java.net.SocketAddress;
import java.security.ProtectionDomain;
import java.util.Map;

/**
 * The one bridge between hooked JDK code and the agent. Advice inlined into JDK classes reaches it through
 * {@link Inlay}; the implementation lives in the agent's isolated class loader. Every method returns normally to
 * allow and throws {@link SecurityException} to deny.
 */
public interface Checks {
    /** File operation codes, equal to the ordinals of {@code dev.inlay.policy.Operation}. */
    int READ = 0, WRITE = 1, CREATE = 2, DELETE = 3, LIST = 4;
    /** Capability codes, equal to the ordinals of {@code dev.inlay.policy.Operation}. */
    int UNSAFE = 14, REFLECT = 15, INSTRUMENT = 16, ATTACH = 17;

    void file(int operation, String path);

    void connect(boolean udp, SocketAddress remote);

    /** Binding a listening socket (TCP) or a receiving socket (UDP) to a local port. */
    void listen(boolean udp, int port);

    void accept(int localPort);

    void resolve(String host);

    void exec(String[] command, String directory, Map<String, String> environment);

    void nativeLoad(String pathOrName);

    void jndi(String name);

    void deserialize(Class<?> type);

    void define(ClassLoader loader, String className, ProtectionDomain domain);

    /**
     * A capability over the JVM ({@link #UNSAFE}, {@link #REFLECT}, {@link #INSTRUMENT}, {@link #ATTACH}) asked for by
     * code of class {@code caller} (null when no class outside the JDK is on the stack) about {@code className}.
     */
    void capability(int operation, Class<?> caller, String className);

    /** The bridge found its state changed by someone else ({@code what}: bridge, thread): reported, never thrown. */
    void tamper(String what, String detail);
}
