package dev.inlay.probe;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

/**
 * What application code with its own foothold in the JVM tries in order to get around the agent. Each attempt prints
 * {@code BYPASS <name> BLOCKED|OPEN <detail>}; a BLOCKED tamper attempt is followed by a check that a denied file is
 * still denied. Argument: a file the policy denies.
 */
public final class Bypass {
    private static Path denied;

    public static void main(String[] args) throws Exception {
        denied = Path.of(args[0]);
        if (args.length > 1 && args[1].equals("capabilities")) {
            capabilities();
            return;
        }
        if (args.length > 1 && args[1].equals("every-copy")) {
            // Several coordinated writes: the checks, their second copy and the installed marker. The bridge cannot
            // tell this from before installation; the agent's watch must.
            attempt("every-copy-of-the-bridge-state", () -> {
                sun.misc.Unsafe unsafe = unsafe();
                long checks = unsafe.staticFieldOffset(LookAlike.class.getDeclaredField("checks"));
                Object[] seal = (Object[]) unsafe.getObject(
                        Inlay.class, unsafe.staticFieldOffset(LookAlike.class.getDeclaredField("SEAL")));
                seal[0] = null;
                seal[2] = null;
                unsafe.putObject(Inlay.class, checks, null);
                long until = System.nanoTime() + 60_000_000_000L;
                int reads = 0;
                while (System.nanoTime() < until) { // the JVM halts long before
                    read();
                    reads++;
                    Thread.sleep(10);
                }
                return reads + " reads";
            });
            return;
        }
        if (args.length > 1 && args[1].equals("retransform")) {
            attempt("second-agent-restores-original-bytes", Bypass::restoreOriginalBytes);
            return;
        }
        attempt("install-permissive-checks", () -> {
            Checks permissive = (Checks) Proxy.newProxyInstance(
                    Bypass.class.getClassLoader(), new Class<?>[] {Checks.class}, (proxy, method, a) -> null);
            Inlay.install(permissive);
            return null;
        });
        attempt("exempt-own-thread", () -> {
            Inlay.ownThread(new Object()); // without the key claim() gave the agent
            return null;
        });
        attempt("exempt-own-thread-without-key", () -> {
            Inlay.ownThread(null);
            return null;
        });
        attempt("steal-key-from-agent-thread", () -> {
            // The agent's event thread holds the key; its fields are the agent's internals.
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (!t.getName().equals("inlay-events")) continue;
                for (Field f : t.getClass().getDeclaredFields()) {
                    f.setAccessible(true);
                    Object key = f.get(t);
                    Inlay.ownThread(key);
                    return "exempt with " + f.getName();
                }
            }
            return "no agent thread found";
        });
        attempt("reflection-on-bridge-field", () -> {
            Field f = Inlay.class.getDeclaredField("checks");
            f.setAccessible(true);
            f.set(null, null);
            return null;
        });
        attempt("private-lookup-into-bridge", () -> {
            MethodHandles.privateLookupIn(Inlay.class, MethodHandles.lookup())
                    .findStaticSetter(Inlay.class, "checks", Checks.class)
                    .invoke((Checks) null);
            return null;
        });
        attempt("unsafe-write-to-bridge-field", () -> {
            Field theUnsafe = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            sun.misc.Unsafe unsafe = (sun.misc.Unsafe) theUnsafe.get(null);
            Field checks = Inlay.class.getDeclaredField("checks");
            unsafe.putObject(unsafe.staticFieldBase(checks), unsafe.staticFieldOffset(checks), null);
            return null;
        });
        // Issue #17 finding 1, with Unsafe in hand (this policy allows it): the write goes through, the bridge must
        // notice at its next call and deny (with a tamper event) rather than take "no checks" for "allow".
        attempt("lookalike-offset-nulls-checks", () -> {
            sun.misc.Unsafe unsafe = unsafe();
            // Inlay's own fields are guarded; a class with the same static fields in the same order has the same
            // static layout, so its offsets are Inlay's.
            long offset = unsafe.staticFieldOffset(LookAlike.class.getDeclaredField("checks"));
            Object found = unsafe.getObject(Inlay.class, offset);
            if (!(found instanceof Checks)) return "layout differs: " + found;
            unsafe.putObject(Inlay.class, offset, null);
            return read();
        });
        attempt("unsafe-override-then-field-set", () -> {
            sun.misc.Unsafe unsafe = unsafe();
            Field checks = Inlay.class.getDeclaredField("checks");
            // AccessibleObject's fields are filtered from reflection; a look-alike gives the offset of override.
            long override = unsafe.objectFieldOffset(AccessibleLookAlike.class.getDeclaredField("override"));
            unsafe.putBoolean(checks, override, true);
            checks.set(null, null);
            return read();
        });
        attempt("thread-locals-busy-flag", () -> {
            try {
                read(); // the bridge's per-thread flag exists once this thread has been checked
            } catch (SecurityException expected) {
                // denied, as it should be
            }
            sun.misc.Unsafe unsafe = unsafe();
            Object map = unsafe.getObject(
                    Thread.currentThread(), unsafe.objectFieldOffset(Thread.class.getDeclaredField("threadLocals")));
            Class<?> mapClass = Class.forName("java.lang.ThreadLocal$ThreadLocalMap");
            Object[] table =
                    (Object[]) unsafe.getObject(map, unsafe.objectFieldOffset(mapClass.getDeclaredField("table")));
            Class<?> entryClass = Class.forName("java.lang.ThreadLocal$ThreadLocalMap$Entry");
            long value = unsafe.objectFieldOffset(entryClass.getDeclaredField("value"));
            int flipped = 0;
            for (Object entry : table) {
                if (entry == null) continue;
                Object local = ((java.lang.ref.Reference<?>) entry).get();
                if (local == null || !local.getClass().getName().startsWith("dev.inlay.")) continue;
                Object flag = unsafe.getObject(entry, value);
                if (flag instanceof boolean[]) {
                    ((boolean[]) flag)[0] = true;
                    flipped++;
                }
            }
            if (flipped == 0) return "no flag found";
            return read();
        });
        attempt("application-code-inside-a-check", () -> {
            // The open options are the application's own Set: whichever of its methods the bridge calls
            // (contains(), iterator()) must not run while the thread is busy.
            String[] stolen = new String[1];
            java.util.Set<java.nio.file.OpenOption> options = new java.util.AbstractSet<java.nio.file.OpenOption>() {
                private final java.util.Set<java.nio.file.OpenOption> real =
                        java.util.Set.of(java.nio.file.StandardOpenOption.READ);

                private void steal() {
                    if (stolen[0] == null) {
                        stolen[0] = "";
                        try {
                            stolen[0] = read();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }

                @Override
                public boolean contains(Object o) {
                    steal();
                    return real.contains(o);
                }

                @Override
                public java.util.Iterator<java.nio.file.OpenOption> iterator() {
                    steal();
                    return real.iterator();
                }

                @Override
                public int size() {
                    return real.size();
                }
            };
            Path allowed = Files.createTempFile("inlay-bypass", ".txt");
            try (java.nio.channels.SeekableByteChannel ch = Files.newByteChannel(allowed, options)) {
                return stolen[0];
            } finally {
                Files.deleteIfExists(allowed);
            }
        });
        attempt("system-property-mode-off", () -> {
            System.setProperty("inlay.mode", "learn");
            System.setProperty("INLAY_MODE", "learn");
            return read();
        });
        attempt(
                "common-fork-join-pool",
                () -> ForkJoinPool.commonPool().submit(Bypass::read).get());
        attempt("racing-threads", () -> {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<String>> all = new ArrayList<>();
                for (int i = 0; i < 200; i++) all.add(pool.submit(Bypass::read));
                int open = 0;
                for (Future<String> f : all) {
                    try {
                        f.get();
                        open++;
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (!(e.getCause() instanceof SecurityException)) throw e;
                    }
                }
                if (open > 0) return open + " of 200 reads got through";
                throw new SecurityException("all 200 denied");
            } finally {
                pool.shutdownNow();
            }
        });
        if (Runtime.version().feature() >= 21) {
            attempt("virtual-thread", () -> {
                Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
                String[] result = new String[1];
                Throwable[] failure = new Throwable[1];
                Runnable task = () -> {
                    try {
                        result[0] = read();
                    } catch (Throwable t) {
                        failure[0] = t;
                    }
                };
                Thread t = (Thread) Class.forName("java.lang.Thread$Builder")
                        .getMethod("start", Runnable.class)
                        .invoke(builder, task);
                t.join();
                if (failure[0] instanceof SecurityException se) throw se;
                return result[0];
            });
        }
        attempt("custom-class-loader", () -> {
            ClassLoader isolated = new java.net.URLClassLoader(
                    new java.net.URL[] {
                        Bypass.class.getProtectionDomain().getCodeSource().getLocation()
                    },
                    null);
            Class<?> again = isolated.loadClass(Bypass.class.getName());
            if (again == Bypass.class) throw new IllegalStateException("not isolated");
            Field f = again.getDeclaredField("denied");
            f.setAccessible(true);
            f.set(null, denied);
            var m = again.getDeclaredMethod("read");
            m.setAccessible(true);
            try {
                return (String) m.invoke(null);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
            }
        });
        attempt("still-enforced-after-all", Bypass::read);
    }

    /**
     * The capabilities the policy governs, with a policy that allows none of them: each must be denied with an event
     * of category capability, and the denied file stay denied.
     */
    private static void capabilities() throws Exception {
        attempt("unsafe-the-unsafe-field", () -> unsafe());
        attempt("unsafe-reflection-factory", () -> {
            java.lang.reflect.Constructor<?> made = sun.reflect.ReflectionFactory.getReflectionFactory()
                    .newConstructorForSerialization(sun.misc.Unsafe.class, Object.class.getDeclaredConstructor());
            return made.newInstance();
        });
        attempt(
                "unsafe-private-lookup",
                () -> MethodHandles.privateLookupIn(sun.misc.Unsafe.class, MethodHandles.lookup())
                        .findStaticGetter(sun.misc.Unsafe.class, "theUnsafe", sun.misc.Unsafe.class)
                        .invoke());
        attempt("reflect-into-jdk-internals", () -> {
            // jdk.unsupported opens sun.reflect to everyone: a private field of the JDK's own, which setAccessible
            // would otherwise open.
            for (Field f : sun.reflect.ReflectionFactory.class.getDeclaredFields()) {
                if (java.lang.reflect.Modifier.isPrivate(f.getModifiers())) {
                    f.setAccessible(true);
                    return "opened " + f.getName();
                }
            }
            return "no private field";
        });
        java.lang.instrument.Instrumentation second = SecondAgent.instrumentation;
        attempt("second-agent-restores-original-bytes", Bypass::restoreOriginalBytes);
        attempt("second-agent-retransform", () -> {
            if (second == null) return "no second agent";
            second.retransformClasses(java.io.FileInputStream.class);
            return "retransformed";
        });
        attempt("second-agent-redefine", () -> {
            if (second == null) return "no second agent";
            byte[] original =
                    Files.readAllBytes(Path.of(java.net.URI.create("jrt:/java.base/java/io/FileInputStream.class")));
            second.redefineClasses(new java.lang.instrument.ClassDefinition(java.io.FileInputStream.class, original));
            return "redefined";
        });
        attempt("self-attach", () -> {
            // jdk.attach.allowAttachSelf is on (an Unsafe write would do the same), and the policy allows files and
            // native libraries: attach itself is the capability.
            Class<?> vm = Class.forName("com.sun.tools.attach.VirtualMachine");
            Object attached = vm.getMethod("attach", String.class)
                    .invoke(null, Long.toString(ProcessHandle.current().pid()));
            vm.getMethod("detach").invoke(attached);
            return "attached";
        });
        attempt("still-enforced-after-all", Bypass::read);
    }

    /** A transformer after inlay's hands back the JDK's own bytes, without the hook, on retransformation. */
    private static String restoreOriginalBytes() throws Exception {
        java.lang.instrument.Instrumentation second = SecondAgent.instrumentation;
        if (second == null) return "no second agent";
        byte[] original =
                Files.readAllBytes(Path.of(java.net.URI.create("jrt:/java.base/java/io/FileInputStream.class")));
        second.addTransformer(
                new java.lang.instrument.ClassFileTransformer() {
                    @Override
                    public byte[] transform(
                            ClassLoader loader,
                            String name,
                            Class<?> redefined,
                            java.security.ProtectionDomain domain,
                            byte[] bytes) {
                        return "java/io/FileInputStream".equals(name) ? original : null;
                    }
                },
                true);
        second.retransformClasses(java.io.FileInputStream.class);
        try (java.io.FileInputStream in = new java.io.FileInputStream(denied.toFile())) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static sun.misc.Unsafe unsafe() throws Exception {
        Field theUnsafe = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
        theUnsafe.setAccessible(true);
        return (sun.misc.Unsafe) theUnsafe.get(null);
    }

    /** The static fields of {@code Inlay}, in its order: the same static layout, so the same offsets. */
    @SuppressWarnings("unused")
    private static final class LookAlike {
        private static volatile Checks checks;
        private static final Object[] SEAL = new Object[3];
        private static final ThreadLocal<boolean[]> BUSY = new ThreadLocal<>();
        private static final Thread[] OWN = new Thread[16];
        private static volatile ClassLoader agentLoader;
        private static volatile Object agentKey;
    }

    /** The instance fields of {@code AccessibleObject}, in its order. */
    @SuppressWarnings("unused")
    private static class AccessibleLookAlike {
        boolean override;
        volatile Object accessCheckCache;
    }

    private static String read() throws Exception {
        return Files.readString(denied);
    }

    private interface Attempt {
        Object run() throws Throwable;
    }

    private static void attempt(String name, Attempt attempt) {
        String outcome;
        try {
            Object r = attempt.run();
            outcome = "OPEN " + r;
        } catch (SecurityException e) {
            outcome = "BLOCKED " + e.getMessage();
        } catch (Throwable t) {
            Throwable cause = t.getCause();
            while (cause != null && !(cause instanceof SecurityException) && cause.getCause() != null) {
                cause = cause.getCause(); // through InvocationTargetException and ExceptionInInitializerError
            }
            outcome = cause instanceof SecurityException ? "BLOCKED " + cause.getMessage() : "OPEN " + t;
        }
        System.out.println("BYPASS " + name + " " + outcome.replace('\n', ' '));
    }
}
