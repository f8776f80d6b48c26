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
        attempt("install-permissive-checks", () -> {
            Checks permissive = (Checks) Proxy.newProxyInstance(Bypass.class.getClassLoader(),
                    new Class<?>[] {Checks.class}, (proxy, method, a) -> null);
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
                    .findStaticSetter(Inlay.class, "checks", Checks.class).invoke((Checks) null);
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
        attempt("system-property-mode-off", () -> {
            System.setProperty("inlay.mode", "learn");
            System.setProperty("INLAY_MODE", "learn");
            return read();
        });
        attempt("common-fork-join-pool", () -> ForkJoinPool.commonPool().submit(Bypass::read).get());
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
                Thread t = (Thread) Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class)
                        .invoke(builder, task);
                t.join();
                if (failure[0] instanceof SecurityException se) throw se;
                return result[0];
            });
        }
        attempt("custom-class-loader", () -> {
            ClassLoader isolated = new java.net.URLClassLoader(new java.net.URL[] {
                    Bypass.class.getProtectionDomain().getCodeSource().getLocation()}, null);
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
            outcome = cause instanceof SecurityException ? "BLOCKED " + cause.getMessage() : "OPEN " + t;
        }
        System.out.println("BYPASS " + name + " " + outcome.replace('\n', ' '));
    }

}
