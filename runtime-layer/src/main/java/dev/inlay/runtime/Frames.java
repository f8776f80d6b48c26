package dev.inlay.runtime;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The calling code of a hooked operation: the first application frame and a short stack summary. */
final class Frames {
    static final int STACK_FRAMES = 8;
    private static final StackWalker WALKER = StackWalker.getInstance();

    record Summary(String frame, List<String> stack) {}

    private Frames() {}

    static Summary capture() {
        List<StackWalker.StackFrame> frames = WALKER.walk(
                s -> s.dropWhile(f -> isAgent(f.getClassName())).limit(64).collect(Collectors.toList()));
        String app = null;
        int appIndex = 0;
        for (int i = 0; i < frames.size(); i++) {
            if (!isPlatform(frames.get(i).getClassName())) {
                app = format(frames.get(i));
                appIndex = i;
                break;
            }
        }
        // The summary ends a few frames past the application frame: the hooked JDK method, then who called it.
        int from = Math.max(0, appIndex - 2);
        List<String> stack = new ArrayList<>(STACK_FRAMES);
        for (int i = from; i < frames.size() && stack.size() < STACK_FRAMES; i++) stack.add(format(frames.get(i)));
        return new Summary(app, stack);
    }

    /**
     * Whether the JDK makes the current file operation for itself (docs/POLICY.md, "The JVM baseline"): the code that
     * opened the file, past the I/O API, is one of the JDK internals that only ever open their own fixed files
     * (container support, entropy, time zones, security and network configuration), or no application frame is on the
     * stack at all (the JVM's own threads and start-up). A walk of the stack: only for operations on the baseline's
     * paths that no rule decided.
     */
    static boolean jdkOwn() {
        return OwnWalker.WALKER.walk(JDK_OWN_FILE);
    }

    /**
     * Whether the JDK loads the current native library for its own classes: the code that asked for it, past the
     * loading API (System.loadLibrary and the class loaders), is JDK code.
     */
    static boolean jdkOwnLoad() {
        return OwnWalker.WALKER.walk(JDK_OWN_LOAD);
    }

    /**
     * Classes, not names, and hidden frames too: an application's lambda (a hidden class in its own loader) running
     * on a JDK pool thread is an application frame, and a class named {@code sun.*} or {@code com.sun.*} that the
     * application's loader defined is not the JDK. Made at the first baseline decision, not at start-up.
     */
    private static final class OwnWalker {
        static final StackWalker WALKER = StackWalker.getInstance(
                java.util.Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_HIDDEN_FRAMES));
        static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();
        static final ClassLoader AGENT = Frames.class.getClassLoader();

        /** Defined by the JDK's own loaders (JDK 17's reflection accessors have a loader of their own). */
        static boolean jdkLoaded(Class<?> c) {
            ClassLoader l = c.getClassLoader();
            return l == null
                    || l == PLATFORM
                    || l.getClass().getName().equals("jdk.internal.reflect.DelegatingClassLoader");
        }

        static boolean agent(Class<?> c) {
            ClassLoader l = c.getClassLoader();
            return isAgent(c.getName())
                    && (l == AGENT || (l == null && c.getName().startsWith("dev.inlay.bootstrap.")));
        }
    }

    private static final JdkOwn JDK_OWN_FILE = new JdkOwn(false);
    private static final JdkOwn JDK_OWN_LOAD = new JdkOwn(true);

    /** A named class, not a lambda: this may run before the application's main(). */
    private static final class JdkOwn implements Function<Stream<StackWalker.StackFrame>, Boolean> {
        private final boolean load;

        JdkOwn(boolean load) {
            this.load = load;
        }

        @Override
        public Boolean apply(Stream<StackWalker.StackFrame> frames) {
            boolean opener = true; // still looking for the code that opened the file or asked for the library
            boolean policyFile = false; // the opener reads the policy files it is given: who gave them?
            for (Iterator<StackWalker.StackFrame> it = frames.iterator(); it.hasNext(); ) {
                StackWalker.StackFrame frame = it.next();
                Class<?> type = frame.getDeclaringClass();
                if (OwnWalker.agent(type)) continue;
                String c = type.getName();
                boolean jdk = OwnWalker.jdkLoaded(type) && isPlatform(c);
                if (opener) {
                    if (jdk && (load ? isLoadingApi(c) : isIoApi(c))) continue;
                    if (load) return jdk;
                    if (jdk && readsOnlyItsOwnFiles(c)) return true;
                    policyFile = jdk && readsPolicyFiles(c);
                    opener = false;
                }
                if (!jdk) return false;
                // The JDK loading its default Policy (on JDK 17 at the first AccessController.checkPermission, with
                // or without a SecurityManager) reads the files java.security names; Policy.getInstance, where a
                // caller names them, goes another way.
                if (policyFile
                        && c.equals("java.security.Policy")
                        && (frame.getMethodName().equals("getPolicyNoCheck")
                                || frame.getMethodName().equals("loadPolicyProvider"))) {
                    return true;
                }
            }
            return true;
        }
    }

    /** APIs that load a library someone names: the requester is whoever called them (SymbolLookup is the FFM API). */
    private static boolean isLoadingApi(String c) {
        return c.equals("java.lang.System")
                || c.equals("java.lang.Runtime")
                || c.startsWith("java.lang.ClassLoader")
                || c.startsWith("jdk.internal.loader.")
                || c.startsWith("java.lang.foreign.")
                || c.startsWith("jdk.internal.foreign.")
                || c.startsWith("java.security.AccessController")
                // reflection and method handles pass a caller's request through
                || c.startsWith("java.lang.reflect.")
                || c.startsWith("jdk.internal.reflect.")
                || c.startsWith("java.lang.invoke.");
    }

    /** The JDK's file API, through which everyone opens files. */
    private static boolean isIoApi(String c) {
        return c.startsWith("java.io.")
                || c.startsWith("java.nio.")
                || c.startsWith("sun.nio.")
                || c.startsWith("java.security.AccessController");
    }

    /**
     * JDK code that opens only files the JDK chooses (from java.home, its own configuration, the kernel's fixed
     * paths), never a path an application passed in: what it reads is the runtime's need, whoever asked it for a
     * metric, a random number or a time zone.
     */
    static boolean readsOnlyItsOwnFiles(String c) {
        // These open a file or URL their caller names (a login configuration, a policy file, a DKS keystore domain)
        if (c.startsWith("sun.security.util.PolicyUtil")
                || c.startsWith("sun.security.provider.ConfigFile")
                || c.startsWith("sun.security.provider.PolicyFile")
                || c.startsWith("sun.security.provider.DomainKeyStore")
                || c.startsWith("sun.security.provider.PolicyParser")) {
            return false;
        }
        return c.startsWith("jdk.internal.platform.") // container metrics: cgroup v1/v2 files, /proc/self/*
                || c.startsWith("sun.security.provider.") // SeedGenerator, NativePRNG: /dev/random, /dev/urandom
                || c.startsWith("sun.util.calendar.ZoneInfoFile")
                || c.startsWith("java.time.zone.")
                || c.startsWith("java.security.Security")
                || c.startsWith("javax.crypto.JceSecurity")
                || c.startsWith("sun.net.NetProperties")
                || c.startsWith("sun.security.util.")
                // the XML factories' ${java.home}/conf/jaxp.properties (JDK 24+ ships one), JNDI's jndi.properties:
                // read at the first XML or naming use, by whichever library made it (issue 22's attribution)
                || c.startsWith("jdk.xml.internal.SecuritySupport")
                || c.startsWith("com.sun.naming.internal.VersionHelper");
    }

    /** JDK code that reads the security policy files it is given (by java.security, or by a caller). */
    private static boolean readsPolicyFiles(String c) {
        return c.startsWith("sun.security.util.PolicyUtil")
                || c.startsWith("sun.security.provider.PolicyFile")
                || c.startsWith("sun.security.provider.PolicyParser");
    }

    /** The agent's own packages (not all of dev.inlay: the examples and probes are applications). */
    private static boolean isAgent(String className) {
        return className.startsWith("dev.inlay.bootstrap.")
                || className.startsWith("dev.inlay.runtime.")
                || className.startsWith("dev.inlay.agent.")
                || className.startsWith("dev.inlay.shaded.");
    }

    static boolean isPlatform(String className) {
        return className.startsWith("java.")
                || className.startsWith("javax.naming.")
                || className.startsWith("jdk.")
                || className.startsWith("sun.")
                || className.startsWith("com.sun.")
                || isAgent(className);
    }

    private static String format(StackWalker.StackFrame f) {
        int line = f.getLineNumber();
        return f.getClassName() + "." + f.getMethodName() + (line > 0 ? ":" + line : "");
    }
}
