package dev.inlay.bootstrap;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;

/**
 * Static entry points called from the first instructions of hooked JDK methods (see {@code Hooks} for which call
 * which). It is in the boot class loader (on the boot class path, or defined there by the agent) so that every
 * class can see it. A per-thread flag keeps the agent's own work (and anything a check itself does) from being checked.
 */
public final class Inlay {
    private static volatile Checks checks;

    private static final ThreadLocal<boolean[]> BUSY = new ThreadLocal<boolean[]>() {
        @Override
        protected boolean[] initialValue() {
            return new boolean[1];
        }
    };

    private Inlay() {
    }

    private static volatile ClassLoader agentLoader;
    /** What {@link #ownThread} asks for: handed to the agent alone, kept where only it can reach. */
    private static volatile Object agentKey;

    /**
     * Names the agent's class loader, once, before any hook is installed: from then on only classes it defined may
     * reach into the agent's internals by reflection.
     *
     * @return the key that lets the agent's own threads go unchecked ({@link #ownThread})
     */
    public static synchronized Object claim(ClassLoader loader) {
        if (agentLoader != null) throw new SecurityException("inlay: the agent is claimed already");
        agentLoader = loader;
        agentKey = new Object();
        return agentKey;
    }

    /** Whether an agent has claimed the bridge: a second copy of the agent in one JVM stays idle. */
    public static boolean claimed() {
        return agentLoader != null;
    }

    /**
     * Tamper guard, in every mode: reflection, private lookups and {@code sun.misc.Unsafe} field offsets into
     * {@code dev.inlay.*} classes are denied unless the caller is the agent itself, so application code cannot swap
     * out the checks or mark its threads exempt.
     */
    public static void guardAgent(Class<?> target, Class<?> caller) {
        if (target == null || !isAgentClass(target)) return;
        // The agent itself, and the JDK working on its behalf (lambda bootstrap, reflection factories) may.
        if (caller != null && (caller.getClassLoader() == null || caller.getClassLoader() == agentLoader)) return;
        throw new SecurityException("inlay: access to the agent's internals is denied: " + target.getName());
    }

    private static boolean isAgentClass(Class<?> c) {
        String name = c.getName();
        return name.startsWith("dev.inlay.bootstrap.") || name.startsWith("dev.inlay.agent.")
                || (c.getClassLoader() != null && c.getClassLoader() == agentLoader);
    }

    /** {@code MethodHandles.privateLookupIn(target, caller)}. */
    public static void guardLookup(Class<?> target, java.lang.invoke.MethodHandles.Lookup caller) {
        guardAgent(target, caller == null ? null : caller.lookupClass());
    }

    /** As {@link #guardAgent} for a field handed to {@code sun.misc.Unsafe}, whose caller is found on the stack. */
    public static void guardAgentField(java.lang.reflect.Field field) {
        if (field == null || !isAgentClass(field.getDeclaringClass())) return;
        // Unsafe has no caller-sensitive check of its own: whoever asked is the first frame outside it.
        Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.map(StackWalker.StackFrame::getDeclaringClass)
                        .filter(c -> c != Inlay.class && !c.getName().equals("sun.misc.Unsafe"))
                        .findFirst().orElse(null));
        if (caller != null && caller.getClassLoader() == agentLoader) return;
        throw new SecurityException("inlay: access to the agent's internals is denied: " + field.getDeclaringClass().getName());
    }

    /**
     * Installs the checks once. The bridge is public in the boot class loader, so any later call (from application code
     * trying to swap in a permissive implementation) is refused.
     */
    public static synchronized void install(Checks implementation) {
        if (checks != null || agentLoader == null || implementation.getClass().getClassLoader() != agentLoader) {
            throw new SecurityException("inlay: the checks are installed already");
        }
        checks = implementation;
    }

    /**
     * Marks the current thread as the agent's own for good: nothing it does is checked. Takes the key {@link #claim}
     * returned rather than looking at the caller: the first stack walk of a JVM costs ~10 ms on JDK 25, and the
     * agent's event thread asks this as the application starts.
     */
    public static void ownThread(Object key) {
        if (key == null || key != agentKey) {
            throw new SecurityException("inlay: only the agent's own threads are exempt from checks");
        }
        BUSY.get()[0] = true;
    }

    /** Runs work on behalf of the agent in an application thread without it being checked. Private: see ownThread. */
    private static boolean enter() {
        boolean[] busy = BUSY.get();
        if (busy[0]) return false;
        busy[0] = true;
        return true;
    }

    private static void exit() {
        BUSY.get()[0] = false;
    }

    public static void file(int operation, String path) {
        Checks c = checks;
        if (c == null || path == null || !enter()) return;
        try {
            c.file(operation, path);
        } finally {
            exit();
        }
    }

    /** {@code RandomAccessFile.open(name, mode)}: mode bit 2 ({@code O_RDWR}) means the file is opened for writing. */
    public static void randomAccessFile(String name, int mode) {
        file((mode & 2) != 0 ? Checks.WRITE : Checks.READ, name);
    }

    /** A {@code java.io.File} method working on its own path (create, delete, list) or on another file. */
    public static void fileOf(int operation, java.io.File file) {
        if (file != null) file(operation, file.getPath());
    }

    /**
     * {@code File.createTempFile(prefix, suffix, directory)}, as it draws a name: checked as the creation of that name
     * with its random part written {@code *} ({@code /tmp/upload*.tmp}), the same on every JDK and for every draw. The
     * JDK keeps only the prefix's last name element, as here; the name it shortens for a file system's limit on name
     * length is checked unshortened.
     */
    public static void tempFile(String prefix, String suffix, java.io.File directory) {
        if (prefix == null || directory == null || checks == null) return;
        String name = new java.io.File(prefix).getName() + "*" + (suffix == null ? ".tmp" : suffix);
        file(Checks.CREATE, new java.io.File(directory, name).getPath());
    }

    /** A file system provider method: its path arguments are {@code Path}s of the default file system. */
    public static void path(int operation, Object path) {
        if (path != null) file(operation, path.toString());
    }

    /**
     * {@code SecureDirectoryStream.newByteChannel(path, options)}: the path resolved against the stream's directory
     * ({@code dir}, a {@code Path} of the default file system; an absolute path stays as it is).
     */
    public static void secureFileOpen(Object dir, Object path, Set<?> options) {
        Object resolved = resolve(dir, path);
        if (resolved != null) fileOpen(resolved, options);
    }

    /** {@code SecureDirectoryStream.newDirectoryStream}, {@code deleteFile}, {@code deleteDirectory}, a move's source. */
    public static void securePath(int operation, Object dir, Object path) {
        Object resolved = resolve(dir, path);
        if (resolved != null) file(operation, resolved.toString());
    }

    /**
     * The target of {@code SecureDirectoryStream.move(from, target, to)}: a write of {@code to} in the target stream's
     * directory, known here when that is this stream or {@code to} is absolute. A relative name in another stream's
     * directory is not checked (COVERAGE.md): that stream's directory was listed, which was checked.
     */
    public static void secureMoveTarget(Object stream, Object dir, Object target, Object to) {
        if (target == stream || (to instanceof java.nio.file.Path && ((java.nio.file.Path) to).isAbsolute())) {
            securePath(Checks.WRITE, dir, to);
        }
    }

    private static Object resolve(Object dir, Object path) {
        if (checks == null || !(dir instanceof java.nio.file.Path) || !(path instanceof java.nio.file.Path)) return null;
        try {
            return ((java.nio.file.Path) dir).resolve((java.nio.file.Path) path);
        } catch (RuntimeException otherProvider) {
            return null; // the stream rejects it itself
        }
    }

    public static void fileOpen(Object path, Set<?> options) {
        Checks c = checks;
        if (c == null || path == null || !enter()) return;
        try {
            c.fileOpen(path, options);
        } finally {
            exit();
        }
    }

    public static void connect(boolean udp, SocketAddress remote) {
        Checks c = checks;
        if (c == null || !(remote instanceof InetSocketAddress) || !enter()) return;
        try {
            c.connect(udp, remote);
        } finally {
            exit();
        }
    }

    public static void listen(boolean udp, SocketAddress local) {
        int port = local instanceof InetSocketAddress ? ((InetSocketAddress) local).getPort() : 0;
        if (local != null && !(local instanceof InetSocketAddress)) return; // a Unix domain socket
        listen(udp, port);
    }

    public static void listen(boolean udp, int port) {
        Checks c = checks;
        if (c == null || !enter()) return;
        try {
            c.listen(udp, port);
        } finally {
            exit();
        }
    }

    /** An ephemeral (port 0) UDP bind is a client socket; only a bind to a chosen port receives. */
    public static void listenUdp(SocketAddress local) {
        if (local instanceof InetSocketAddress && ((InetSocketAddress) local).getPort() != 0) listen(true, local);
    }

    /** A datagram sent on an unconnected socket: checked like a UDP connect to its target. */
    public static void send(java.net.DatagramPacket packet) {
        java.net.InetAddress address = packet == null ? null : packet.getAddress();
        int port = packet == null ? -1 : packet.getPort();
        if (address != null && port >= 0 && port <= 0xFFFF) connect(true, new InetSocketAddress(address, port));
    }

    public static void accept(SocketAddress local) {
        if (!(local instanceof InetSocketAddress)) return;
        accept(((InetSocketAddress) local).getPort());
    }

    /**
     * An accept on a {@code ServerSocketChannel}. When it is denied, the connection it was about to take is taken and
     * closed before the denial is thrown: left in the backlog, it would keep the channel ready, and a selector loop
     * (the JDK's HTTP server, Netty, Tomcat NIO) would be woken for it, denied and woken again without end, at full
     * CPU, with the peer left waiting. A blocking channel waits for its next connection here, as it would have in
     * {@code accept}.
     */
    public static void accept(java.nio.channels.ServerSocketChannel channel, SocketAddress local) {
        if (!(local instanceof InetSocketAddress)) return; // unbound (accept says so) or a Unix domain socket
        Checks c = checks;
        if (c == null || !enter()) return;
        try {
            c.accept(((InetSocketAddress) local).getPort());
        } catch (SecurityException denied) {
            refuseOne(channel);
            throw denied;
        } finally {
            exit();
        }
    }

    /** Inside the guard: the channel's own accept runs unchecked. */
    private static void refuseOne(java.nio.channels.ServerSocketChannel channel) {
        try {
            java.nio.channels.SocketChannel taken = channel.accept();
            if (taken != null) taken.close();
        } catch (java.io.IOException | RuntimeException e) {
            // closed meanwhile, or nothing to take: the denial stands either way
        }
    }

    public static void accept(int localPort) {
        Checks c = checks;
        if (c == null || !enter()) return;
        try {
            c.accept(localPort);
        } finally {
            exit();
        }
    }

    public static void resolve(String host) {
        Checks c = checks;
        if (c == null || host == null || !enter()) return;
        try {
            c.resolve(host);
        } finally {
            exit();
        }
    }

    public static void exec(String[] command, String directory, Map<String, String> environment) {
        Checks c = checks;
        if (c == null || command == null || command.length == 0 || !enter()) return;
        try {
            c.exec(command, directory, environment);
        } finally {
            exit();
        }
    }

    public static void nativeLoad(String pathOrName) {
        Checks c = checks;
        if (c == null || pathOrName == null || !enter()) return;
        try {
            c.nativeLoad(pathOrName);
        } finally {
            exit();
        }
    }

    /** {@code SymbolLookup.libraryLookup(String|Path, Arena)}. */
    public static void libraryLookup(Object library) {
        if (library != null) nativeLoad(library.toString());
    }

    public static void jndi(Object name) {
        Checks c = checks;
        if (c == null || name == null || !enter()) return;
        try {
            c.jndi(name.toString());
        } finally {
            exit();
        }
    }

    /** {@code ObjectInputStream.filterCheck(type, arrayLength)}: a class (not an array length) being resolved. */
    public static void filterCheck(Class<?> type, int arrayLength) {
        if (arrayLength < 0) deserialize(type);
    }

    public static void deserialize(Class<?> type) {
        Checks c = checks;
        if (c == null || type == null || !enter()) return;
        try {
            c.deserialize(type);
        } finally {
            exit();
        }
    }

    public static void define(ClassLoader loader, String className, ProtectionDomain domain) {
        Checks c = checks;
        if (c == null || !enter()) return;
        try {
            c.define(loader, className, domain);
        } finally {
            exit();
        }
    }

    /**
     * {@code MethodHandles.Lookup.defineClass}, {@code defineHiddenClass} and {@code defineHiddenClassWithClassData}:
     * the class named in the bytes, defined in the lookup class's loader. Checked with no protection domain: the class
     * gets the lookup class's, which says where the lookup class came from, not the bytes.
     */
    public static void defineIn(java.lang.invoke.MethodHandles.Lookup lookup, byte[] bytes) {
        Checks c = checks;
        if (c == null || lookup == null || bytes == null || !enter()) return;
        try {
            if (!definedForTheJdk()) c.define(lookup.lookupClass().getClassLoader(), className(bytes), null);
        } finally {
            exit();
        }
    }

    /**
     * Whether the caller of the hooked {@code Lookup} method is one of the JDK's own class spinners, which define
     * classes from bytes they generated themselves: on JDK 17 every lambda's class, on later JDKs pattern switches'
     * {@code $$TypeSwitch} classes, the FFM API's downcall specializations and JFR's event handlers. Told by the exact
     * calling class in the boot loader, not by a package: the JDK's streams, futures or {@code MethodHandleProxies}
     * calling a method reference to {@code Lookup::defineClass} are the application's definitions, and so is a class
     * whose name looks like a lambda's. Reflection and method handle frames are skipped by the walk.
     */
    private static boolean definedForTheJdk() {
        Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.map(StackWalker.StackFrame::getDeclaringClass)
                        .filter(c -> c != Inlay.class && c != java.lang.invoke.MethodHandles.Lookup.class)
                        .findFirst().orElse(null));
        if (caller == null || caller.getClassLoader() != null) return false;
        switch (caller.getName()) {
            case "java.lang.invoke.InnerClassLambdaMetafactory", "java.lang.runtime.SwitchBootstraps",
                    "jdk.internal.foreign.abi.BindingSpecializer", "jdk.jfr.internal.SecuritySupport",
                    "jdk.jfr.internal.SecuritySupport$6" -> {
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /**
     * {@code ProxyGenerator.generateProxyClass(loader, name, interfaces, flags)}: a {@code java.lang.reflect.Proxy}
     * class. A proxy for one annotation interface is the JDK's own implementation of an annotation read by reflection
     * ({@code AnnotationParser}), not a definition of the application's.
     */
    public static void defineProxy(ClassLoader loader, String name, java.util.List<?> interfaces) {
        if (checks == null || (interfaces != null && interfaces.size() == 1
                && interfaces.get(0) instanceof Class<?> type && type.isAnnotation())) {
            return;
        }
        define(loader, name, null);
    }

    /**
     * The binary name in a class file's {@code this_class}, or null when the bytes are not a well-formed class file
     * (which the JDK rejects right after).
     */
    static String className(byte[] b) {
        try {
            if (b.length < 10 || u2(b, 0) != 0xCAFE || u2(b, 2) != 0xBABE) return null;
            int count = u2(b, 8);
            int[] at = new int[count];
            int p = 10;
            for (int i = 1; i < count; i++) {
                at[i] = p;
                switch (b[p]) {
                    case 1 -> p += 3 + u2(b, p + 1); // Utf8
                    case 7, 8, 16, 19, 20 -> p += 3; // Class, String, MethodType, Module, Package
                    case 15 -> p += 4; // MethodHandle
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> p += 5;
                    case 5, 6 -> { // Long, Double: two entries
                        p += 9;
                        i++;
                    }
                    default -> {
                        return null;
                    }
                }
            }
            int thisClass = u2(b, p + 2);
            if (thisClass <= 0 || thisClass >= count || b[at[thisClass]] != 7) return null;
            int name = u2(b, at[thisClass] + 1);
            if (name <= 0 || name >= count || b[at[name]] != 1) return null;
            return new String(b, at[name] + 3, u2(b, at[name] + 1), java.nio.charset.StandardCharsets.UTF_8)
                    .replace('/', '.');
        } catch (IndexOutOfBoundsException malformed) {
            return null;
        }
    }

    private static int u2(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }
}
