package dev.inlay.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * The premain class: the only agent class the application's class path can see besides the bridge package
 * {@code dev.inlay.bootstrap} (and, loaded only when needed, the rest of this package: {@link AgentJars} finds the
 * jar, {@link ImplLoader} and {@link ClassPack} load the implementation, {@link FailClosed} decides when that fails,
 * {@link WrapTimeHooks} serves {@code inlay wrap}). It starts the implementation from the jar's class pack through a
 * class loader of its own, so that the application never sees ASM, SnakeYAML or the policy engine; the
 * implementation has the bridge defined in the boot class loader ({@code BootBridge}).
 */
public final class InlayAgent {
    private static final String BOOT = "dev.inlay.runtime.AgentBoot";

    private InlayAgent() {}

    public static void premain(String args, Instrumentation inst) {
        start(args, inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst);
    }

    private static void start(String args, Instrumentation inst) {
        long started = System.nanoTime();
        if (isJdkTool()) return;
        File jar = null;
        try {
            jar = AgentJars.agentJar();
            JarFile jarFile = new JarFile(jar, false);
            ClassLoader impl = new ImplLoader(jarFile, jar, ClassLoader.getPlatformClassLoader(), started);
            Class<?> boot = Class.forName(BOOT, true, impl);
            // premain's own shape (the rest comes from the loader): on JDK 18 and later reflection spins method
            // handle classes for each new call shape, ~30 ms on JDK 25 for five arguments; the JVM just made this one.
            boot.getMethod("start", String.class, Instrumentation.class).invoke(null, args, inst);
        } catch (Throwable t) {
            FailClosed.agentFailed(args, jar, t);
        }
    }

    /** JDK tools started with the same JAVA_TOOL_OPTIONS (jcmd, jps, javac, jshell, keytool...) are left alone. */
    static boolean isJdkTool() {
        String module = System.getProperty("jdk.module.main");
        if (module != null && (module.startsWith("jdk.") || module.startsWith("java."))) return true;
        String command = System.getProperty("sun.java.command", "");
        String main = command.isEmpty() ? "" : command.split(" ", 2)[0];
        return main.startsWith("sun.tools.")
                || main.startsWith("com.sun.tools.")
                || main.startsWith("jdk.internal.")
                || main.startsWith("sun.security.tools.")
                || main.startsWith("jdk.jshell.")
                || main.startsWith("sun.jvm.hotspot.");
    }
}
