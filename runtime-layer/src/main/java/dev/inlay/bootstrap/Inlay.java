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
 *
 * <p>Its state is not trusted to stay as the agent set it (docs/SECURITY.md, "Tamper resistance"): code holding
 * {@code sun.misc.Unsafe} can write any field. So no single write switches a check off: the checks are kept twice
 * (the field and an array element) and compared on every call; a call that finds them different, or either missing
 * once installed, is denied and reported as a {@code tamper} event, never allowed; and a thread whose busy flag is set
 * is exempt only when it is one of the agent's own threads or really inside a check (its stack says so).
 */
public final class Inlay {
    private static volatile Checks checks;
    /**
     * The second copy of the installed state, in an array rather than a field of this class, so that a write at a
     * static field offset (one taken from a look-alike class) cannot change both: [0] the checks, [1] the agent's own
     * Instrumentation, [2] a marker set once the checks are installed.
     */
    private static final Object[] SEAL = new Object[3];

    private static final ThreadLocal<boolean[]> BUSY = new ThreadLocal<boolean[]>() {
        @Override
        protected boolean[] initialValue() {
            return new boolean[1];
        }
    };
    /** The agent's own threads ({@link #ownThread}): a set busy flag is believed only for these or inside a check. */
    private static final Thread[] OWN = new Thread[16];

    private Inlay() {}

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
     * out the checks or mark its threads exempt. Then, for code outside the JDK and the agent, the capabilities the
     * policy governs: {@code setAccessible} on {@code sun.misc.Unsafe} (taking {@code theUnsafe}) is {@code unsafe},
     * on a JDK class whose package its module opens to the caller (the JDK's internals) {@code reflect}.
     */
    public static void guardAgent(Class<?> target, Class<?> caller) {
        if (target == null) return;
        if (isAgentClass(target)) {
            // The agent itself, and the JDK working on its behalf (lambda bootstrap, reflection factories) may.
            if (caller != null && (caller.getClassLoader() == null || caller.getClassLoader() == agentLoader)) return;
            throw new SecurityException("inlay: access to the agent's internals is denied: " + target.getName());
        }
        if (caller == null || !isJdkClass(target) || isJdkClass(caller) || caller.getClassLoader() == agentLoader)
            return;
        if (isUnsafe(target)) {
            capability(Checks.UNSAFE, caller, target.getName());
        } else if (target.getModule().isOpen(target.getPackageName(), caller.getModule())) {
            capability(Checks.REFLECT, caller, target.getName());
        }
    }

    private static boolean isAgentClass(Class<?> c) {
        String name = c.getName();
        return name.startsWith("dev.inlay.bootstrap.")
                || name.startsWith("dev.inlay.agent.")
                || (c.getClassLoader() != null && c.getClassLoader() == agentLoader);
    }

    /** A class of the JDK's own modules (java.*, jdk.*; jdk.attach and a few others are in the application loader). */
    private static boolean isJdkClass(Class<?> c) {
        Module module = c.getModule();
        if (!module.isNamed()) return false;
        String name = module.getName();
        return (name.startsWith("java.") || name.startsWith("jdk.")) && module.getLayer() == ModuleLayer.boot();
    }

    private static boolean isUnsafe(Class<?> c) {
        return c.getName().equals("sun.misc.Unsafe") || c.getName().equals("jdk.internal.misc.Unsafe");
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
                        .findFirst()
                        .orElse(null));
        if (caller != null && caller.getClassLoader() == agentLoader) return;
        throw new SecurityException("inlay: access to the agent's internals is denied: "
                + field.getDeclaringClass().getName());
    }

    /**
     * {@code sun.reflect.ReflectionFactory.newConstructorForSerialization(type, ...)}: a constructor that makes an
     * instance without running the class's own, which is how {@code sun.misc.Unsafe} is obtained without
     * {@code theUnsafe}. For Unsafe it is the {@code unsafe} capability.
     */
    public static void serializationConstructor(Class<?> type) {
        if (type != null && isUnsafe(type) && current() != null) {
            capability(Checks.UNSAFE, callerOutsideJdk(), type.getName());
        }
    }

    /**
     * {@code Instrumentation.retransformClasses}, {@code redefineClasses}, {@code addTransformer} and
     * {@code redefineModule}: free for the agent's own Instrumentation, the {@code instrument} capability for any
     * other (another agent's), for each class concerned (a transformer: its own class; a module: its name).
     */
    public static void instrument(Object instrumentation, Object targets) {
        // Before the checks are installed it is the agent's own start (no stack walk there: it costs milliseconds).
        if (instrumentation == null || instrumentation == SEAL[1] || current() == null) return;
        Class<?> caller = callerOutsideJdk();
        if (targets instanceof Object[]) {
            for (Object target : (Object[]) targets) capability(Checks.INSTRUMENT, caller, instrumentedName(target));
        } else {
            capability(Checks.INSTRUMENT, caller, instrumentedName(targets));
        }
    }

    private static String instrumentedName(Object target) {
        if (target instanceof Class) return ((Class<?>) target).getName();
        if (target instanceof Module) return String.valueOf(((Module) target).getName()); // redefineModule
        if (target instanceof java.lang.instrument.ClassDefinition) {
            Class<?> c = ((java.lang.instrument.ClassDefinition) target).getDefinitionClass();
            return c == null ? "?" : c.getName();
        }
        return target == null ? "?" : target.getClass().getName();
    }

    /** The class (and so the code source) that asked, below the JDK's own frames and this bridge's. */
    static Class<?> callerOutsideJdk() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.map(StackWalker.StackFrame::getDeclaringClass)
                        .filter(c -> c != Inlay.class && !isJdkClass(c))
                        .findFirst()
                        .orElse(null));
    }

    private static void capability(int operation, Class<?> caller, String className) {
        Checks c = current();
        if (c == null || !enter()) return;
        try {
            c.capability(operation, caller, className);
        } finally {
            exit();
        }
    }

    /**
     * Installs the checks once. The bridge is public in the boot class loader, so any later call (from application code
     * trying to swap in a permissive implementation) is refused.
     */
    public static synchronized void install(Checks implementation) {
        if (checks != null
                || SEAL[2] != null
                || agentLoader == null
                || implementation.getClass().getClassLoader() != agentLoader) {
            throw new SecurityException("inlay: the checks are installed already");
        }
        // The field first: a call between the writes finds genuine checks without their copy, and uses them.
        checks = implementation;
        SEAL[0] = implementation;
        SEAL[2] = Boolean.TRUE;
    }

    /** The agent's own Instrumentation, whose retransformations are its own hooks ({@link #instrument}). */
    public static synchronized void ownInstrumentation(Object key, Object instrumentation) {
        if (key == null || key != agentKey || SEAL[1] != null) {
            throw new SecurityException("inlay: only the agent names its Instrumentation");
        }
        SEAL[1] = instrumentation;
    }

    /**
     * For the agent's watchdog: whether the bridge's state is still what the agent installed; when it is not, it is
     * put back (the watchdog reports it).
     *
     * @return null when intact, else what was found
     */
    public static String verify(Object key, Checks expected, Object instrumentation) {
        if (key == null || key != agentKey) throw new SecurityException("inlay: only the agent verifies the bridge");
        String found = null;
        if (checks != expected) found = "checks replaced";
        else if (SEAL[0] != expected) found = "second copy of the checks replaced";
        else if (SEAL[1] != instrumentation) found = "the agent's Instrumentation replaced";
        else if (SEAL[2] != Boolean.TRUE) found = "installation marker cleared";
        if (found != null) {
            synchronized (Inlay.class) {
                SEAL[0] = expected;
                SEAL[1] = instrumentation;
                SEAL[2] = Boolean.TRUE;
                checks = expected;
            }
        }
        return found;
    }

    /**
     * The installed checks, or null while the agent starts (before {@link #install}: only the agent's own threads
     * run then). Anything else than the two copies agreeing is tampering: denied.
     */
    private static Checks current() {
        Checks c = checks;
        return c != null && c == SEAL[0] ? c : unexpected(c);
    }

    private static Checks unexpected(Checks c) {
        Object copy = SEAL[0];
        if (copy == null && SEAL[2] == null) {
            if (c == null) return null; // not installed yet
            // Being installed (the field is written first), or the copies cleared: the checks themselves are sound.
            if (genuine(c)) return c;
        }
        // One of the copies was written by someone else. The genuine one (the agent's class) is put back and reports.
        Checks genuine = genuine(c) ? c : genuine(copy) ? (Checks) copy : null;
        String what = "the bridge's checks were replaced (" + describe(c) + ", copy " + describe(copy) + ")";
        if (genuine != null) {
            synchronized (Inlay.class) {
                SEAL[0] = genuine;
                SEAL[2] = Boolean.TRUE;
                checks = genuine;
            }
        }
        throw tampered(genuine, "bridge", what);
    }

    private static boolean genuine(Object o) {
        ClassLoader loader = agentLoader;
        return o instanceof Checks && loader != null && o.getClass().getClassLoader() == loader;
    }

    private static String describe(Object o) {
        return o == null ? "null" : o.getClass().getName();
    }

    /**
     * Reports tampering through the genuine checks (when there are any), with the thread marked busy so the report's
     * own work is not checked, and returns the denial to throw: in every mode, since the mode itself may be what was
     * changed.
     */
    private static SecurityException tampered(Checks reporter, String what, String detail) {
        if (reporter != null) {
            boolean[] busy = BUSY.get();
            busy[0] = true;
            try {
                reporter.tamper(what, detail);
            } catch (RuntimeException | Error e) {
                // the denial stands
            } finally {
                busy[0] = false;
            }
        }
        return new SecurityException("inlay: tampering detected, denied: " + detail);
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
        synchronized (OWN) {
            for (int i = 0; i < OWN.length; i++) {
                if (OWN[i] == null || !OWN[i].isAlive() || OWN[i] == Thread.currentThread()) {
                    OWN[i] = Thread.currentThread();
                    break;
                }
            }
        }
        BUSY.get()[0] = true;
    }

    /**
     * Runs work on behalf of the agent in an application thread without it being checked. Private: see ownThread. A
     * set flag is believed only for the agent's own threads and inside a check (a hooked operation the check itself
     * performs): a flag set from outside (through {@code Thread.threadLocals}) is tampering, denied.
     */
    private static boolean enter() {
        boolean[] busy = BUSY.get();
        if (!busy[0]) {
            busy[0] = true;
            return true;
        }
        if (ownThread() || insideCheck()) return false;
        busy[0] = false;
        Checks c = checks;
        throw tampered(
                genuine(c) ? c : genuine(SEAL[0]) ? (Checks) SEAL[0] : null,
                "thread",
                "the busy flag of thread " + Thread.currentThread().getName() + " was set outside the agent");
    }

    private static boolean ownThread() {
        Thread current = Thread.currentThread();
        for (Thread t : OWN) {
            if (t == current) return true;
        }
        return false;
    }

    /**
     * Whether a check (a class of the agent's loader), or the bridge's own work after a denial ({@link #refuseOne}), is
     * on this thread's stack: rare, so a stack walk is fine.
     */
    private static boolean insideCheck() {
        ClassLoader loader = agentLoader;
        if (loader == null) return false;
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                        .walk(new Walk(Walk.INSIDE_CHECK, loader))
                != null;
    }

    /**
     * The bridge's stack walks, as a class rather than lambdas: on JDK 17 a lambda's first call defines a hidden class
     * through {@code Lookup.defineHiddenClass}, which is hooked and would come back into the walk that needs it.
     * {@code Stream.iterator()} over the walker's frames spins nothing either.
     */
    private static final class Walk
            implements java.util.function.Function<java.util.stream.Stream<StackWalker.StackFrame>, Object> {
        /** Returns a non-null value when a check or the bridge's own work (refuseOne, definedForTheJdk) is on the stack. */
        static final int INSIDE_CHECK = 0;
        /** Returns the first class that is neither this bridge nor {@code MethodHandles.Lookup}. */
        static final int LOOKUP_CALLER = 1;

        private final int kind;
        private final ClassLoader loader;

        Walk(int kind, ClassLoader loader) {
            this.kind = kind;
            this.loader = loader;
        }

        @Override
        public Object apply(java.util.stream.Stream<StackWalker.StackFrame> frames) {
            java.util.Iterator<StackWalker.StackFrame> it = frames.iterator();
            while (it.hasNext()) {
                StackWalker.StackFrame f = it.next();
                Class<?> c = f.getDeclaringClass();
                if (kind == LOOKUP_CALLER) {
                    if (c != Inlay.class && c != java.lang.invoke.MethodHandles.Lookup.class) return c;
                } else if ((loader != null && c.getClassLoader() == loader)
                        || (c == Inlay.class
                                && (f.getMethodName().equals("refuseOne")
                                        || f.getMethodName().equals("definedForTheJdk")))) {
                    return Boolean.TRUE;
                }
            }
            return null;
        }
    }

    private static void exit() {
        BUSY.get()[0] = false;
    }

    public static void file(int operation, String path) {
        Checks c = current();
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
        if (prefix == null || directory == null || current() == null) return;
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
    public static Set<?> secureFileOpen(Object dir, Object path, Set<?> options) {
        Object resolved = resolve(dir, path);
        return resolved != null ? fileOpen(resolved, options) : options;
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
        if (current() == null || !(dir instanceof java.nio.file.Path) || !(path instanceof java.nio.file.Path))
            return null;
        try {
            return ((java.nio.file.Path) dir).resolve((java.nio.file.Path) path);
        } catch (RuntimeException otherProvider) {
            return null; // the stream rejects it itself
        }
    }

    /**
     * Opening through NIO: the open options decide between read, write and create. The path is turned into text and
     * the options read here, outside the check: a Path or a Set of the application's own making runs its code, which
     * must not run with the thread marked busy (it would go unchecked).
     */
    /**
     * Opening through NIO: the open options decide between read, write and create. The application's own Set is
     * read once, here, outside the check, into a copy that is both what is decided and what the JDK opens with (the
     * hook stores it back into the method's argument): a Set whose contains() says READ while its iterator yields
     * WRITE decides one thing and opens another otherwise.
     *
     * @return the options the JDK is to use from here on
     */
    public static Set<?> fileOpen(Object path, Set<?> options) {
        Checks c = current();
        if (c == null || path == null || options == null) return options;
        Set<Object> snapshot = new java.util.HashSet<Object>(options.size() * 2);
        for (Object option : options) snapshot.add(option);
        String name = path.toString();
        int operation = Checks.READ;
        if (snapshot.contains(java.nio.file.StandardOpenOption.CREATE_NEW)) operation = Checks.CREATE;
        else if (snapshot.contains(java.nio.file.StandardOpenOption.WRITE)
                || snapshot.contains(java.nio.file.StandardOpenOption.APPEND)) operation = Checks.WRITE;
        if (!enter()) return snapshot;
        try {
            c.file(operation, name);
        } finally {
            exit();
        }
        return snapshot;
    }

    public static void connect(boolean udp, SocketAddress remote) {
        Checks c = current();
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
        Checks c = current();
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
        Checks c = current();
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
        Checks c = current();
        if (c == null || !enter()) return;
        try {
            c.accept(localPort);
        } finally {
            exit();
        }
    }

    public static void resolve(String host) {
        Checks c = current();
        if (c == null || host == null || !enter()) return;
        try {
            c.resolve(host);
        } finally {
            exit();
        }
    }

    public static void exec(String[] command, String directory, Map<String, String> environment) {
        Checks c = current();
        if (c == null || command == null || command.length == 0 || !enter()) return;
        try {
            c.exec(command, directory, environment);
        } finally {
            exit();
        }
    }

    public static void nativeLoad(String pathOrName) {
        Checks c = current();
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
        Checks c = current();
        if (c == null || name == null) return;
        String text = name.toString(); // outside the check, as in fileOpen
        if (!enter()) return;
        try {
            c.jndi(text);
        } finally {
            exit();
        }
    }

    /** {@code ObjectInputStream.filterCheck(type, arrayLength)}: a class (not an array length) being resolved. */
    public static void filterCheck(Class<?> type, int arrayLength) {
        if (arrayLength < 0) deserialize(type);
    }

    public static void deserialize(Class<?> type) {
        Checks c = current();
        if (c == null || type == null || !enter()) return;
        try {
            c.deserialize(type);
        } finally {
            exit();
        }
    }

    public static void define(ClassLoader loader, String className, ProtectionDomain domain) {
        Checks c = current();
        // The agent's loader defining the agent's own classes (lazily, often inside a check) is not the
        // application's: returned before enter(), which would walk the stack to tell a check from a tampered flag.
        if (c == null || (loader != null && loader == agentLoader) || !enter()) return;
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
        Checks c = current();
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
        Class<?> caller = (Class<?>) StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(new Walk(Walk.LOOKUP_CALLER, null));
        if (caller == null || caller.getClassLoader() != null) return false;
        switch (caller.getName()) {
            case "java.lang.invoke.InnerClassLambdaMetafactory",
                    "java.lang.runtime.SwitchBootstraps",
                    "jdk.internal.foreign.abi.BindingSpecializer",
                    "jdk.jfr.internal.SecuritySupport",
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
        if (current() == null
                || (interfaces != null
                        && interfaces.size() == 1
                        && interfaces.get(0) instanceof Class<?> type
                        && type.isAnnotation())) {
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
