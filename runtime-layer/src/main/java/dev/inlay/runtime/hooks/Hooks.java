package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The hooked JDK funnels: for each JDK-internal class, the methods every public path goes through and the advice
 * that asks {@link Inlay}. Types are matched by exact name; every other type is ignored.
 */
public final class Hooks {
    private final Map<String, List<AsmVisitorWrapper>> byType = new LinkedHashMap<>();
    private final AtomicInteger transformed = new AtomicInteger();
    private final List<String> errors = new CopyOnWriteArrayList<>();

    public Hooks() {
        String unixProvider = "sun.nio.fs.UnixFileSystemProvider";
        hook("java.io.FileInputStream", FileInputStreamOpenAdvice.class, named("open").and(takesArguments(String.class)));
        hook("java.io.FileOutputStream", FileOutputStreamOpenAdvice.class,
                named("open").and(takesArguments(String.class, boolean.class)));
        hook("java.io.RandomAccessFile", RandomAccessFileOpenAdvice.class,
                named("open").and(takesArguments(String.class, int.class)));
        hook(unixProvider, NioOpenAdvice.class,
                namedOneOf("newByteChannel", "newFileChannel", "newAsynchronousFileChannel"));
        hook(unixProvider, NioListAdvice.class, named("newDirectoryStream"));
        hook(unixProvider, NioCreateAdvice.class, namedOneOf("createDirectory", "createSymbolicLink", "createLink"));
        hook(unixProvider, NioDeleteAdvice.class, named("implDelete"));
        hook(unixProvider, NioCopyAdvice.class, named("copy").and(takesArguments(3)));
        hook(unixProvider, NioMoveAdvice.class, named("move").and(takesArguments(3)));
        hook("java.io.File", FileListAdvice.class, named("normalizedList").and(takesArguments(0)));
        hook("java.io.File", FileCreateAdvice.class, namedOneOf("createNewFile", "mkdir").and(takesArguments(0)));
        hook("java.io.File", FileDeleteAdvice.class, named("delete").and(takesArguments(0)));
        hook("java.io.File", FileRenameAdvice.class, named("renameTo"));
        hook("java.util.zip.ZipFile$Source", ZipSourceAdvice.class,
                named("get").and(isStatic()).and(takesArgument(0, java.io.File.class)));

        hook("sun.nio.ch.NioSocketImpl", TcpConnectAdvice.class,
                named("connect").and(takesArguments(java.net.SocketAddress.class, int.class)));
        hook("sun.nio.ch.SocketChannelImpl", TcpConnectAdvice.class,
                named("connect").and(takesArguments(java.net.SocketAddress.class))
                        .or(named("blockingConnect").and(takesArgument(0, java.net.SocketAddress.class))));
        hook("sun.nio.ch.UnixAsynchronousSocketChannelImpl", TcpConnectAdvice.class, named("implConnect"));
        hook("sun.nio.ch.DatagramChannelImpl", UdpConnectAdvice.class,
                named("connect").and(takesArguments(java.net.SocketAddress.class, boolean.class)));
        hook("sun.nio.ch.DatagramChannelImpl", UdpSendAdvice.class,
                named("send").and(takesArguments(java.nio.ByteBuffer.class, java.net.SocketAddress.class))
                        .or(named("blockingSend").and(takesArguments(java.nio.ByteBuffer.class,
                                java.net.SocketAddress.class))));
        hook("sun.nio.ch.DatagramChannelImpl", UdpPacketSendAdvice.class,
                named("blockingSend").and(takesArguments(java.net.DatagramPacket.class)));
        hook("sun.nio.ch.DatagramChannelImpl", UdpBindAdvice.class,
                named("bind").and(takesArguments(java.net.SocketAddress.class)));
        hook("sun.nio.ch.NioSocketImpl", TcpListenAdvice.class, named("listen").and(takesArguments(int.class)));
        hook("sun.nio.ch.ServerSocketChannelImpl", TcpBindAdvice.class,
                named("bind").and(takesArguments(java.net.SocketAddress.class, int.class)));
        hook("sun.nio.ch.AsynchronousServerSocketChannelImpl", TcpBindAdvice.class,
                named("bind").and(takesArguments(java.net.SocketAddress.class, int.class)));
        hook("sun.nio.ch.NioSocketImpl", SocketAcceptAdvice.class, named("accept").and(takesArguments(1)));
        hook("sun.nio.ch.ServerSocketChannelImpl", ChannelAcceptAdvice.class,
                named("accept").and(takesArguments(0)));
        hook("sun.nio.ch.AsynchronousServerSocketChannelImpl", ChannelAcceptAdvice.class, named("accept"));
        // JDK 17 funnels through the 4-argument private overload, JDK 21+ through the 2-argument private one.
        hook("java.net.InetAddress", ResolveAdvice.class, named("getAllByName0").and(isPrivate())
                .and(takesArguments(4).or(takesArguments(2))).and(takesArgument(0, String.class)));

        hook("java.lang.ProcessImpl", ProcessStartAdvice.class, named("start").and(isStatic()).and(takesArguments(5)));
        hook("jdk.internal.loader.NativeLibraries", NativeLoadAdvice.class,
                named("loadLibrary").and(isPrivate()).and(takesArguments(3)));
        hook("java.lang.foreign.SymbolLookup", SymbolLookupAdvice.class,
                named("libraryLookup").and(isStatic()).and(takesArguments(2))
                        .and(not(takesArgument(1, java.util.function.BiFunction.class))));
        hook("javax.naming.InitialContext", JndiAdvice.class, named("getURLOrDefaultInitCtx"));
        hook("java.io.ObjectInputStream", DeserializeAdvice.class, named("filterCheck"));
        hook("java.lang.reflect.AccessibleObject", ReflectionTamperAdvice.class, named("checkCanSetAccessible")
                .and(takesArguments(Class.class, Class.class, boolean.class)));
        hook("java.lang.invoke.MethodHandles", LookupTamperAdvice.class, named("privateLookupIn").and(isStatic()));
        hook("sun.misc.Unsafe", UnsafeTamperAdvice.class,
                namedOneOf("objectFieldOffset", "staticFieldOffset", "staticFieldBase")
                        .and(takesArguments(java.lang.reflect.Field.class)));
        hook("java.lang.ClassLoader", DefineClassAdvice.class, named("defineClass").and(not(isStatic()))
                .and(takesArguments(5).or(takesArguments(3))).and(takesArgument(0, String.class)));
    }

    private void hook(String type, Class<?> advice, ElementMatcher<? super MethodDescription> methods) {
        byType.computeIfAbsent(type, t -> new ArrayList<>()).add(Advice.to(advice).on(methods));
    }

    public int types() {
        return byType.size();
    }

    public int transformed() {
        return transformed.get();
    }

    public List<String> errors() {
        return errors;
    }

    /** @param debug print every transformation and error to stderr (INLAY_DEBUG=true) */
    public void install(Instrumentation inst, boolean debug) {
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (byType.containsKey(c.getName()) && c.getClassLoader() == null) loaded.add(c);
        }
        // No Nexus: advice needs no initializers, and creating it touches sun.misc.Unsafe (a warning on JDK 24+).
        // The shade plugin relocates this name along with ByteBuddy; the property is removed right after.
        String nexus = "net.bytebuddy.nexus.disabled";
        System.setProperty(nexus, "true");
        AgentBuilder builder;
        try {
            builder = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED));
        } finally {
            System.clearProperty(nexus);
        }
        builder = builder
                .disableClassFormatChanges()
                .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                // Only the few already loaded JDK classes we hook are retransformed, not every loaded class.
                .with(new AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Explicit(loaded.toArray(new Class<?>[0])))
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                // Advice is inlined: no auxiliary classes to inject (and no sun.misc.Unsafe warning on JDK 24+).
                .with(AgentBuilder.InjectionStrategy.Disabled.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new AgentBuilder.Listener.Adapter() {
                    @Override
                    public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module,
                                                 boolean loaded, DynamicType dynamicType) {
                        transformed.incrementAndGet();
                    }

                    @Override
                    public void onError(String type, ClassLoader loader, JavaModule module, boolean loaded,
                                        Throwable throwable) {
                        errors.add(type + ": " + throwable);
                    }
                })
                .with(debug ? AgentBuilder.Listener.StreamWriting.toSystemError().withErrorsOnly()
                        : AgentBuilder.Listener.NoOp.INSTANCE)
                .with(debug ? AgentBuilder.Listener.StreamWriting.toSystemError().withTransformationsOnly()
                        : AgentBuilder.Listener.NoOp.INSTANCE)
                .ignore(not(namedOneOf(byType.keySet().toArray(new String[0]))))
                .assureReadEdgeTo(inst, Inlay.class, Checks.class);
        for (Map.Entry<String, List<AsmVisitorWrapper>> e : byType.entrySet()) {
            List<AsmVisitorWrapper> advices = e.getValue();
            builder = builder.type(named(e.getKey())).transform((b, type, loader, module, domain) -> {
                DynamicType.Builder<?> result = b;
                for (AsmVisitorWrapper advice : advices) result = result.visit(advice);
                return result;
            });
        }
        builder.installOn(inst);
        // Installing loads classes itself (InetAddress among them): hooked types that appeared meanwhile are
        // retransformed now that the transformer is registered.
        List<Class<?>> late = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (byType.containsKey(c.getName()) && c.getClassLoader() == null && !loaded.contains(c)) late.add(c);
        }
        if (!late.isEmpty()) {
            try {
                inst.retransformClasses(late.toArray(new Class<?>[0]));
            } catch (Exception | LinkageError e) {
                errors.add("retransform " + late + ": " + e);
            }
        }
    }
}
