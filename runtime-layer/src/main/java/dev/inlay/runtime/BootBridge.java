package dev.inlay.runtime;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Defines the bridge ({@code dev.inlay.bootstrap.*}, the classes hooked JDK code calls) in the boot class loader.
 *
 * <p>Not by appending the agent jar to the boot class path: the JVM then stops using its CDS archive for every class
 * of the platform and application class loaders, and says so on stderr at every start. Instead the bridge classes are
 * defined one by one with the JDK's internal {@code Unsafe.defineClass}, exported for this to the agent's own class
 * loader only (the application's modules never get {@code jdk.internal.misc}). Called once, from premain, before any
 * class that refers to the bridge is loaded.
 */
public final class BootBridge {
    static final String PACKAGE_PATH = "dev/inlay/bootstrap/";

    private BootBridge() {
    }

    /** @throws Exception if this JDK does not allow it; premain then appends the jar to the boot class path instead */
    public static void define(Instrumentation inst, JarFile agentJar) throws Exception {
        Module javaBase = Object.class.getModule();
        inst.redefineModule(javaBase, Set.of(), Map.of("jdk.internal.misc", Set.of(BootBridge.class.getModule())),
                Map.of(), Set.of(), Map.of());
        Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
        Method defineClass = unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, ProtectionDomain.class);
        List<JarEntry> entries = new ArrayList<>();
        for (Enumeration<JarEntry> e = agentJar.entries(); e.hasMoreElements(); ) {
            JarEntry entry = e.nextElement();
            if (entry.getName().startsWith(PACKAGE_PATH) && entry.getName().endsWith(".class")) entries.add(entry);
        }
        if (entries.isEmpty()) throw new IllegalStateException("no " + PACKAGE_PATH + " classes in " + agentJar.getName());
        for (JarEntry entry : entries) {
            byte[] bytes;
            try (java.io.InputStream in = agentJar.getInputStream(entry)) {
                bytes = in.readAllBytes();
            }
            String name = entry.getName().substring(0, entry.getName().length() - ".class".length()).replace('/', '.');
            defineClass.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
        }
    }
}
