package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The hooked JDK funnels: for each JDK-internal method that every public path to an operation goes through, the
 * bridge call injected at its entry (docs/COVERAGE.md says which public APIs reach which funnel).
 *
 * <p>Hooks are written with ASM directly rather than with ByteBuddy's {@code AgentBuilder} and {@code Advice}: every
 * hook is a single static call, and ByteBuddy's installer alone loaded ~1,100 classes and added ~900 ms to every
 * JVM start (docs/BENCHMARKS.md), ten times the startup budget.
 *
 * <p>This class is the table and what it did (counts, errors, the transformer); {@link HookInstallation} is the
 * thread that builds it and installs it, and how premain's thread shares that work.
 */
public final class Hooks {
    private static final String OBJECT = "Ljava/lang/Object;";
    private static final String STRING = "Ljava/lang/String;";
    private static final String CLASS = "Ljava/lang/Class;";
    private static final String SOCKET_ADDRESS = "Ljava/net/SocketAddress;";
    private static final String PATH = "Ljava/nio/file/Path;";
    private static final String FILE_ATTRIBUTES = "[Ljava/nio/file/attribute/FileAttribute;";
    private static final String FIELD = "Ljava/lang/reflect/Field;";

    private static final String FILE = "(I" + STRING + ")V";
    private static final String FILE_OF = "(ILjava/io/File;)V";
    private static final String PATH_OF = "(I" + OBJECT + ")V";
    private static final String CONNECT = "(Z" + SOCKET_ADDRESS + ")V";
    private static final String LISTEN_ADDRESS = "(Z" + SOCKET_ADDRESS + ")V";
    private static final String LISTEN_PORT = "(ZI)V";
    private static final String ACCEPT_ADDRESS = "(" + SOCKET_ADDRESS + ")V";

    /** Changed whenever EntryCalls emits other code for the same table: precomputed classes then no longer match. */
    private static final long INJECTOR_VERSION = 3;

    private final List<Hook> hooks = new ArrayList<>();
    /** The hooks of each type, by internal name; built once the table is complete. */
    private final Map<String, List<Hook>> byType;

    private final AtomicInteger transformed = new AtomicInteger();
    /** Of those, how many with bytes computed at wrap time ({@link HookedClasses}). */
    private final AtomicInteger precomputed = new AtomicInteger();

    private final List<String> errors = new CopyOnWriteArrayList<>();
    /** The transformer, once registered. */
    private volatile EntryCalls injector;

    public Hooks() {
        String unixProvider = "sun/nio/fs/UnixFileSystemProvider";
        on("java/io/FileInputStream", "open", "(" + STRING + ")V").call("file", FILE, constant(Checks.READ), arg(0));
        on("java/io/FileOutputStream", "open", "(" + STRING + "Z)V").call("file", FILE, constant(Checks.WRITE), arg(0));
        on("java/io/RandomAccessFile", "open", "(" + STRING + "I)V")
                .call("randomAccessFile", "(" + STRING + "I)V", arg(0), arg(1));
        // The options are decided on a copy the bridge returns, which replaces the application's Set (argument 1).
        String fileOpen = "(" + OBJECT + "Ljava/util/Set;)Ljava/util/Set;";
        on(
                        unixProvider,
                        "newByteChannel",
                        "(" + PATH + "Ljava/util/Set;" + FILE_ATTRIBUTES + ")Ljava/nio/channels/SeekableByteChannel;")
                .replacing(1)
                .call("fileOpen", fileOpen, arg(0), arg(1));
        on(
                        unixProvider,
                        "newFileChannel",
                        "(" + PATH + "Ljava/util/Set;" + FILE_ATTRIBUTES + ")Ljava/nio/channels/FileChannel;")
                .replacing(1)
                .call("fileOpen", fileOpen, arg(0), arg(1));
        on(
                        unixProvider,
                        "newAsynchronousFileChannel",
                        "(" + PATH + "Ljava/util/Set;Ljava/util/concurrent/ExecutorService;" + FILE_ATTRIBUTES
                                + ")Ljava/nio/channels/AsynchronousFileChannel;")
                .replacing(1)
                .call("fileOpen", fileOpen, arg(0), arg(1));
        on(
                        unixProvider,
                        "newDirectoryStream",
                        "(" + PATH + "Ljava/nio/file/DirectoryStream$Filter;)" + "Ljava/nio/file/DirectoryStream;")
                .call("path", PATH_OF, constant(Checks.LIST), arg(0));
        on(unixProvider, "createDirectory", "(" + PATH + FILE_ATTRIBUTES + ")V")
                .call("path", PATH_OF, constant(Checks.CREATE), arg(0));
        on(unixProvider, "createSymbolicLink", "(" + PATH + PATH + FILE_ATTRIBUTES + ")V")
                .call("path", PATH_OF, constant(Checks.CREATE), arg(0));
        on(unixProvider, "createLink", "(" + PATH + PATH + ")V").call("path", PATH_OF, constant(Checks.CREATE), arg(0));
        on(unixProvider, "implDelete", "(" + PATH + "Z)Z").call("path", PATH_OF, constant(Checks.DELETE), arg(0));
        String copyOrMove = "(" + PATH + PATH + "[Ljava/nio/file/CopyOption;)V";
        on(unixProvider, "copy", copyOrMove).call("path", PATH_OF, constant(Checks.READ), arg(0));
        on(unixProvider, "copy", copyOrMove).call("path", PATH_OF, constant(Checks.WRITE), arg(1));
        on(unixProvider, "move", copyOrMove).call("path", PATH_OF, constant(Checks.DELETE), arg(0));
        on(unixProvider, "move", copyOrMove).call("path", PATH_OF, constant(Checks.WRITE), arg(1));
        // SecureDirectoryStream (Files.newDirectoryStream on Linux) works relative to its directory's descriptor,
        // past the provider: its paths are resolved against the stream's directory, this.ds.directory().
        String secure = "sun/nio/fs/UnixSecureDirectoryStream";
        Hook.Load secureDir =
                new Hook.FieldCall("ds", "Lsun/nio/fs/UnixDirectoryStream;", "directory", "Lsun/nio/fs/UnixPath;");
        String securePath = "(I" + OBJECT + OBJECT + ")V";
        on(
                        secure,
                        "newByteChannel",
                        "(" + PATH + "Ljava/util/Set;" + FILE_ATTRIBUTES + ")Ljava/nio/channels/SeekableByteChannel;")
                .replacing(1)
                .call(
                        "secureFileOpen",
                        "(" + OBJECT + OBJECT + "Ljava/util/Set;)Ljava/util/Set;",
                        secureDir,
                        arg(0),
                        arg(1));
        on(
                        secure,
                        "newDirectoryStream",
                        "(" + PATH + "[Ljava/nio/file/LinkOption;)Ljava/nio/file/SecureDirectoryStream;")
                .call("securePath", securePath, constant(Checks.LIST), secureDir, arg(0));
        on(secure, "deleteFile", "(" + PATH + ")V")
                .call("securePath", securePath, constant(Checks.DELETE), secureDir, arg(0));
        on(secure, "deleteDirectory", "(" + PATH + ")V")
                .call("securePath", securePath, constant(Checks.DELETE), secureDir, arg(0));
        on(secure, "move", "(" + PATH + "Ljava/nio/file/SecureDirectoryStream;" + PATH + ")V")
                .call("securePath", securePath, constant(Checks.DELETE), secureDir, arg(0));
        on(secure, "move", "(" + PATH + "Ljava/nio/file/SecureDirectoryStream;" + PATH + ")V")
                .call(
                        "secureMoveTarget",
                        "(" + OBJECT + OBJECT + OBJECT + OBJECT + ")V",
                        self(),
                        secureDir,
                        arg(1),
                        arg(2));
        // The private field the JDK itself works on, not getPath(), which a subclass of File can override.
        Hook.Load filePath = field("path", STRING);
        on("java/io/File", "normalizedList", "()[" + STRING).call("file", FILE, constant(Checks.LIST), filePath);
        on("java/io/File", "createNewFile", "()Z").call("file", FILE, constant(Checks.CREATE), filePath);
        on("java/io/File", "mkdir", "()Z").call("file", FILE, constant(Checks.CREATE), filePath);
        on("java/io/File", "delete", "()Z").call("file", FILE, constant(Checks.DELETE), filePath);
        on("java/io/File", "renameTo", "(Ljava/io/File;)Z").call("file", FILE, constant(Checks.DELETE), filePath);
        on("java/io/File", "renameTo", "(Ljava/io/File;)Z")
                .call("file", FILE, constant(Checks.WRITE), new Hook.ArgField(0, "path", STRING));
        // File.createTempFile creates its file past createNewFile (natively on JDK 17); its random name is drawn here.
        on("java/io/File$TempDirectory", "generateFile", "(" + STRING + STRING + "Ljava/io/File;)Ljava/io/File;")
                .access(Modifier.STATIC)
                .call("tempFile", "(" + STRING + STRING + "Ljava/io/File;)V", arg(0), arg(1), arg(2));
        on(
                        "java/util/zip/ZipFile$Source",
                        "get",
                        "(Ljava/io/File;ZLjava/util/zip/ZipCoder;)Ljava/util/zip/ZipFile$Source;")
                .access(Modifier.STATIC)
                .call("fileOf", FILE_OF, constant(Checks.READ), arg(0));

        on("sun/nio/ch/NioSocketImpl", "connect", "(" + SOCKET_ADDRESS + "I)V")
                .call("connect", CONNECT, constant(0), arg(0));
        on("sun/nio/ch/SocketChannelImpl", "connect", "(" + SOCKET_ADDRESS + ")Z")
                .call("connect", CONNECT, constant(0), arg(0));
        on("sun/nio/ch/SocketChannelImpl", "blockingConnect", "(" + SOCKET_ADDRESS + "J)V")
                .call("connect", CONNECT, constant(0), arg(0));
        on(
                        "sun/nio/ch/UnixAsynchronousSocketChannelImpl",
                        "implConnect",
                        "(" + SOCKET_ADDRESS + OBJECT
                                + "Ljava/nio/channels/CompletionHandler;)Ljava/util/concurrent/Future;")
                .call("connect", CONNECT, constant(0), arg(0));
        String datagram = "sun/nio/ch/DatagramChannelImpl";
        on(datagram, "connect", "(" + SOCKET_ADDRESS + "Z)Ljava/nio/channels/DatagramChannel;")
                .call("connect", CONNECT, constant(1), arg(0));
        on(datagram, "send", "(Ljava/nio/ByteBuffer;" + SOCKET_ADDRESS + ")I")
                .call("connect", CONNECT, constant(1), arg(1));
        // DatagramSocket.send: JDK 17 passes the buffer and target, JDK 21+ the packet.
        on(datagram, "blockingSend", "(Ljava/nio/ByteBuffer;" + SOCKET_ADDRESS + ")V")
                .group("blockingSend")
                .call("connect", CONNECT, constant(1), arg(1));
        on(datagram, "blockingSend", "(Ljava/net/DatagramPacket;)V")
                .group("blockingSend")
                .call("send", "(Ljava/net/DatagramPacket;)V", arg(0));
        on(datagram, "bind", "(" + SOCKET_ADDRESS + ")Ljava/nio/channels/DatagramChannel;")
                .call("listenUdp", "(" + SOCKET_ADDRESS + ")V", arg(0));
        on("sun/nio/ch/NioSocketImpl", "listen", "(I)V")
                .call("listen", LISTEN_PORT, constant(0), field("localport", "I"));
        on(
                        "sun/nio/ch/ServerSocketChannelImpl",
                        "bind",
                        "(" + SOCKET_ADDRESS + "I)Ljava/nio/channels/ServerSocketChannel;")
                .call("listen", LISTEN_ADDRESS, constant(0), arg(0));
        on(
                        "sun/nio/ch/AsynchronousServerSocketChannelImpl",
                        "bind",
                        "(" + SOCKET_ADDRESS + "I)Ljava/nio/channels/AsynchronousServerSocketChannel;")
                .call("listen", LISTEN_ADDRESS, constant(0), arg(0));
        on("sun/nio/ch/NioSocketImpl", "accept", "(Ljava/net/SocketImpl;)V")
                .call("accept", "(I)V", field("localport", "I"));
        on("sun/nio/ch/ServerSocketChannelImpl", "accept", "()Ljava/nio/channels/SocketChannel;")
                .call(
                        "accept",
                        "(Ljava/nio/channels/ServerSocketChannel;" + SOCKET_ADDRESS + ")V",
                        self(),
                        field("localAddress", SOCKET_ADDRESS));
        on("sun/nio/ch/AsynchronousServerSocketChannelImpl", "accept", "()Ljava/util/concurrent/Future;")
                .call("accept", ACCEPT_ADDRESS, field("localAddress", "Ljava/net/InetSocketAddress;"));
        on(
                        "sun/nio/ch/AsynchronousServerSocketChannelImpl",
                        "accept",
                        "(" + OBJECT + "Ljava/nio/channels/CompletionHandler;)V")
                .call("accept", ACCEPT_ADDRESS, field("localAddress", "Ljava/net/InetSocketAddress;"));
        // Every name lookup: JDK 17 funnels through a private 4-argument overload, JDK 21+ through a private 2-argument
        // one (JDK 17 has a package-private 2-argument one too, which delegates).
        on("java/net/InetAddress", "getAllByName0", "(" + STRING + "Ljava/net/InetAddress;ZZ)[Ljava/net/InetAddress;")
                .access(Modifier.PRIVATE | Modifier.STATIC)
                .group("getAllByName0")
                .call("resolve", "(" + STRING + ")V", arg(0));
        on("java/net/InetAddress", "getAllByName0", "(" + STRING + "Z)[Ljava/net/InetAddress;")
                .access(Modifier.PRIVATE | Modifier.STATIC)
                .group("getAllByName0")
                .call("resolve", "(" + STRING + ")V", arg(0));

        on(
                        "java/lang/ProcessImpl",
                        "start",
                        "([" + STRING + "Ljava/util/Map;" + STRING
                                + "[Ljava/lang/ProcessBuilder$Redirect;Z)Ljava/lang/Process;")
                .access(Modifier.STATIC)
                .call("exec", "([" + STRING + STRING + "Ljava/util/Map;)V", arg(0), arg(2), arg(1));
        on(
                        "jdk/internal/loader/NativeLibraries",
                        "loadLibrary",
                        "(" + CLASS + STRING + "Z)Ljdk/internal/loader/NativeLibrary;")
                .access(Modifier.PRIVATE)
                .call("nativeLoad", "(" + STRING + ")V", arg(1));
        String lookup = "Ljava/lang/foreign/Arena;)Ljava/lang/foreign/SymbolLookup;";
        on("java/lang/foreign/SymbolLookup", "libraryLookup", "(" + STRING + lookup)
                .access(Modifier.STATIC)
                .call("libraryLookup", "(" + OBJECT + ")V", arg(0));
        on("java/lang/foreign/SymbolLookup", "libraryLookup", "(" + PATH + lookup)
                .access(Modifier.STATIC)
                .call("libraryLookup", "(" + OBJECT + ")V", arg(0));
        on("javax/naming/InitialContext", "getURLOrDefaultInitCtx", "(" + STRING + ")Ljavax/naming/Context;")
                .call("jndi", "(" + OBJECT + ")V", arg(0));
        on("javax/naming/InitialContext", "getURLOrDefaultInitCtx", "(Ljavax/naming/Name;)Ljavax/naming/Context;")
                .call("jndi", "(" + OBJECT + ")V", arg(0));
        on("java/io/ObjectInputStream", "filterCheck", "(" + CLASS + "I)V")
                .call("filterCheck", "(" + CLASS + "I)V", arg(0), arg(1));
        on("java/lang/ClassLoader", "defineClass", "(" + STRING + "[BIILjava/security/ProtectionDomain;)" + CLASS)
                .call(
                        "define",
                        "(Ljava/lang/ClassLoader;" + STRING + "Ljava/security/ProtectionDomain;)V",
                        self(),
                        arg(0),
                        arg(-1));
        on(
                        "java/lang/ClassLoader",
                        "defineClass",
                        "(" + STRING + "Ljava/nio/ByteBuffer;Ljava/security/ProtectionDomain;)" + CLASS)
                .call(
                        "define",
                        "(Ljava/lang/ClassLoader;" + STRING + "Ljava/security/ProtectionDomain;)V",
                        self(),
                        arg(0),
                        arg(-1));

        // Classes defined past ClassLoader.defineClass: the public Lookup methods (the JDK's own lambdas, LambdaForms
        // and string concatenation reach the same natives through internal definers, and are not the application's)
        // and the generator every java.lang.reflect.Proxy class comes from.
        String lookupType = "java/lang/invoke/MethodHandles$Lookup";
        String classOptions = "[L" + lookupType + "$ClassOption;)L" + lookupType + ";";
        String defineIn = "(L" + lookupType + ";[B)V";
        on(lookupType, "defineClass", "([B)" + CLASS).call("defineIn", defineIn, self(), arg(0));
        on(lookupType, "defineHiddenClass", "([BZ" + classOptions).call("defineIn", defineIn, self(), arg(0));
        on(lookupType, "defineHiddenClassWithClassData", "([B" + OBJECT + "Z" + classOptions)
                .call("defineIn", defineIn, self(), arg(0));
        on(
                        "java/lang/reflect/ProxyGenerator",
                        "generateProxyClass",
                        "(Ljava/lang/ClassLoader;" + STRING + "Ljava/util/List;I)[B")
                .access(Modifier.STATIC)
                .call(
                        "defineProxy",
                        "(Ljava/lang/ClassLoader;" + STRING + "Ljava/util/List;)V",
                        arg(0),
                        arg(1),
                        arg(2));

        // The tamper guard: reflection, private lookups and Unsafe offsets into the agent's own classes.
        on("java/lang/reflect/AccessibleObject", "checkCanSetAccessible", "(" + CLASS + CLASS + "Z)Z")
                .call("guardAgent", "(" + CLASS + CLASS + ")V", arg(1), arg(0));
        on(
                        "java/lang/invoke/MethodHandles",
                        "privateLookupIn",
                        "(" + CLASS + "Ljava/lang/invoke/MethodHandles$Lookup;)"
                                + "Ljava/lang/invoke/MethodHandles$Lookup;")
                .access(Modifier.STATIC)
                .call("guardLookup", "(" + CLASS + "Ljava/lang/invoke/MethodHandles$Lookup;)V", arg(0), arg(1));
        for (String method : List.of("objectFieldOffset", "staticFieldOffset")) {
            on("sun/misc/Unsafe", method, "(" + FIELD + ")J").call("guardAgentField", "(" + FIELD + ")V", arg(0));
        }
        on("sun/misc/Unsafe", "staticFieldBase", "(" + FIELD + ")" + OBJECT)
                .call("guardAgentField", "(" + FIELD + ")V", arg(0));
        // Capabilities (checkCanSetAccessible and privateLookupIn above decide unsafe and reflect too): an Unsafe
        // made without theUnsafe, and another agent's Instrumentation.
        String constructor = "Ljava/lang/reflect/Constructor;";
        on(
                        "sun/reflect/ReflectionFactory",
                        "newConstructorForSerialization",
                        "(" + CLASS + constructor + ")" + constructor)
                .call("serializationConstructor", "(" + CLASS + ")V", arg(0));
        on("sun/reflect/ReflectionFactory", "newConstructorForSerialization", "(" + CLASS + ")" + constructor)
                .call("serializationConstructor", "(" + CLASS + ")V", arg(0));
        String instrumentation = "sun/instrument/InstrumentationImpl";
        String instrument = "(" + OBJECT + OBJECT + ")V";
        on(instrumentation, "retransformClasses", "([" + CLASS + ")V").call("instrument", instrument, self(), arg(0));
        on(instrumentation, "redefineClasses", "([Ljava/lang/instrument/ClassDefinition;)V")
                .call("instrument", instrument, self(), arg(0));
        on(instrumentation, "addTransformer", "(Ljava/lang/instrument/ClassFileTransformer;Z)V")
                .call("instrument", instrument, self(), arg(0));
        // Opening a JDK package to other code (the way to jdk.internal.misc.Unsafe without --add-exports).
        on(
                        instrumentation,
                        "redefineModule",
                        "(Ljava/lang/Module;Ljava/util/Set;Ljava/util/Map;Ljava/util/Map;"
                                + "Ljava/util/Set;Ljava/util/Map;)V")
                .call("instrument", instrument, self(), arg(0));

        Map<String, List<Hook>> grouped = new LinkedHashMap<>();
        for (Hook hook : hooks) {
            List<Hook> ofType = grouped.get(hook.type());
            if (ofType == null) grouped.put(hook.type(), ofType = new ArrayList<>());
            ofType.add(hook);
        }
        byType = grouped;
    }

    Map<String, List<Hook>> byType() {
        return byType;
    }

    public int types() {
        return byType.size();
    }

    public int transformed() {
        return transformed.get();
    }

    public int precomputed() {
        return precomputed.get();
    }

    /**
     * Identifies this table and the code it injects, so that classes precomputed by another agent version are not
     * used: a hash of every field of every hook (the check is for a jar and a file that do not belong together, not
     * against an adversary, who could change either). Strings' own hash codes, mixed: no text is built before main().
     */
    long fingerprint() {
        long h = INJECTOR_VERSION;
        for (Hook hook : hooks) {
            h = mix(
                    h,
                    hook.type(),
                    hook.method(),
                    hook.descriptor(),
                    hook.group(),
                    hook.bridge(),
                    hook.bridgeDescriptor());
            h = h * 1_000_003L + hook.access();
            h = h * 1_000_003L + hook.replacesArg();
            for (Hook.Load load : hook.loads()) {
                if (load instanceof Hook.Arg arg) h = h * 1_000_003L + 1 + arg.index();
                else if (load instanceof Hook.This) h = h * 1_000_003L + 2;
                else if (load instanceof Hook.Field field)
                    h = mix(h * 1_000_003L + 3, field.name(), field.descriptor());
                else if (load instanceof Hook.ArgField field) {
                    h = mix(h * 1_000_003L + 6 + field.index(), field.name(), field.descriptor());
                } else if (load instanceof Hook.FieldCall call) {
                    h = mix(h * 1_000_003L + 5, call.name(), call.descriptor(), call.method(), call.returnDescriptor());
                } else h = h * 1_000_003L + 4 + ((Hook.Constant) load).value();
            }
        }
        return h;
    }

    private static long mix(long h, String... parts) {
        for (String part : parts) h = h * 1_000_003L + part.hashCode();
        return h;
    }

    public List<String> errors() {
        return errors;
    }

    /** Records a hook that could not be installed, reported in the {@code started} status. */
    void addError(String error) {
        errors.add(error);
    }

    /** The transformer, once {@link #register} made it; null before. */
    EntryCalls injector() {
        return injector;
    }

    /**
     * Registers the injector and lists the hooked classes the JVM has loaded already, which are to be retransformed;
     * classes loaded later are hooked as they are defined.
     *
     * @param debug print every transformation and error to stderr (INLAY_DEBUG=true)
     */
    List<Class<?>> register(Instrumentation inst, HookedClasses ready, boolean debug) {
        // No read edges to add: the hooked classes live in named modules, which do not read the boot loader's
        // unnamed module that holds the bridge, but the JVM makes every module a transformer changes a class of read
        // it (jdk.internal.module.Modules.transformedByAgent), at load and at retransformation alike.
        injector = new EntryCalls(byType, ready, precomputed, new BiConsumer<String, String>() {
            // Not a lambda: each lambda spins a class at first use, and this runs before the application's main().
            @Override
            public void accept(String type, String error) {
                if (error == null) {
                    transformed.incrementAndGet();
                    if (debug) System.err.println("inlay: hooked " + type);
                } else {
                    errors.add(type + ": " + error);
                    if (debug) System.err.println("inlay: cannot hook " + type + ": " + error);
                }
            }
        });
        inst.addTransformer(injector, true);
        // Listed after the transformer is registered: a class loaded in between is hooked either way.
        List<Class<?>> loaded = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String type : byType.keySet()) names.add(type.replace('/', '.'));
        // Some thousand classes: their names are compared as they are, not converted one by one.
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (names.contains(c.getName()) && c.getClassLoader() == null) loaded.add(c);
        }
        return loaded;
    }

    /**
     * Reports every hooked class retransformed or redefined by someone else from now on (the agent's own
     * retransformation at startup is done).
     */
    public void onForeignTransformation(java.util.function.Consumer<String> listener) {
        EntryCalls calls = injector;
        if (calls != null) calls.onForeign(listener);
    }

    /** Retransforms classes in one batch (every retransformation walks all loaded classes once, whatever their number). */
    void retransform(Instrumentation inst, List<Class<?>> classes) {
        if (classes.isEmpty()) return;
        try {
            inst.retransformClasses(classes.toArray(new Class<?>[0]));
        } catch (Exception | LinkageError batch) {
            for (Class<?> c : classes) { // find the one that failed; the others are hooked all the same
                try {
                    inst.retransformClasses(c);
                } catch (Exception | LinkageError e) {
                    errors.add("retransform " + c.getName() + ": " + e);
                }
            }
        }
    }

    private static Hook.Load arg(int index) {
        return new Hook.Arg(index);
    }

    private static Hook.Load self() {
        return new Hook.This();
    }

    private static Hook.Load field(String name, String descriptor) {
        return new Hook.Field(name, descriptor);
    }

    private static Hook.Load constant(int value) {
        return new Hook.Constant(value);
    }

    private On on(String type, String method, String descriptor) {
        return new On(type, method, descriptor);
    }

    /** Reads as the table above: on TYPE, METHOD, DESCRIPTOR [access] [group] call BRIDGE with LOADS. */
    private final class On {
        private final String type;
        private final String method;
        private final String descriptor;
        private int access;
        private String group;
        private int replacesArg = -1;

        On(String type, String method, String descriptor) {
            this.type = type;
            this.method = method;
            this.descriptor = descriptor;
        }

        On access(int modifiers) {
            this.access = modifiers;
            return this;
        }

        On group(String name) {
            this.group = name;
            return this;
        }

        /** The bridge method returns what argument {@code index} is to be from here on. */
        On replacing(int index) {
            this.replacesArg = index;
            return this;
        }

        void call(String bridge, String bridgeDescriptor, Hook.Load... loads) {
            hooks.add(new Hook(
                    type,
                    method,
                    descriptor,
                    access,
                    group == null ? method + descriptor : group,
                    bridge,
                    bridgeDescriptor,
                    List.copyOf(Arrays.asList(loads)),
                    replacesArg));
        }
    }

    /** For tests: every hook, in table order. */
    List<Hook> all() {
        return List.copyOf(hooks);
    }
}
