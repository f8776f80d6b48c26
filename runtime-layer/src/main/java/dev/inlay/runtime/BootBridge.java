package dev.inlay.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
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
 * loader only (the application's modules never get {@code jdk.internal.misc}). Called once, before any class that
 * refers to the bridge is loaded or hooked.
 */
final class BootBridge {
    static final String PACKAGE_PATH = "dev/inlay/bootstrap/";
    /**
     * The bridge, named rather than found by listing the jar (listing its entries costs milliseconds of every start);
     * a test checks that this is the whole package.
     */
    static final List<String> CLASSES = List.of("Checks", "Inlay", "Inlay$1");

    private BootBridge() {
    }

    /** Defines the bridge in the boot loader; on a JDK that does not allow that, appends the jar to the boot class path. */
    static void define(Instrumentation inst, JarFile agentJar) throws IOException {
        try {
            defineClasses(inst, agentJar);
        } catch (RuntimeException | LinkageError e) {
            inst.appendToBootstrapClassLoaderSearch(agentJar);
        }
    }

    private static void defineClasses(Instrumentation inst, JarFile agentJar) throws IOException {
        List<byte[]> classes = new ArrayList<>();
        for (String name : CLASSES) {
            JarEntry entry = agentJar.getJarEntry(PACKAGE_PATH + name + ".class");
            if (entry == null) throw new IllegalStateException("no " + PACKAGE_PATH + name + " in " + agentJar.getName());
            try (InputStream in = agentJar.getInputStream(entry)) {
                classes.add(in.readAllBytes());
            }
        }
        Module javaBase = Object.class.getModule();
        inst.redefineModule(javaBase, Set.of(), Map.of("jdk.internal.misc", Set.of(BootBridge.class.getModule())),
                Map.of(), Set.of(), Map.of());
        // Called directly, not by reflection: a reflective call of this six-argument method spins method handle
        // classes on JDK 18 and later (~25 ms of a JDK 25 start). Linked only now, after the export above.
        jdk.internal.misc.Unsafe unsafe = jdk.internal.misc.Unsafe.getUnsafe();
        for (int i = 0; i < CLASSES.size(); i++) {
            byte[] bytes = classes.get(i);
            String name = (PACKAGE_PATH + CLASSES.get(i)).replace('/', '.');
            unsafe.defineClass(name, bytes, 0, bytes.length, null, null);
        }
    }
}
