package dev.inlay.runtime;

import dev.inlay.bootstrap.Inlay;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Makes the bridge ({@code dev.inlay.bootstrap.*}, the classes hooked JDK code calls) a part of the boot class loader.
 *
 * <p>Normally the JVM has done so already: the agent jar's manifest names the jar itself, by its usual file name
 * {@code inlay-agent.jar}, in {@code Boot-Class-Path}, which the JVM appends to the boot class path while it parses
 * {@code -javaagent}, before the application's classes load. (Appended later, through {@code Instrumentation}, the
 * JVM would stop using its CDS archive for every class of the platform and application class loaders and say so on
 * stderr at every start.) The premain class then comes from the boot class path too, and so the bridge and the
 * implementation come from one jar.
 *
 * <p>A jar under another name (or a directory with another {@code inlay-agent.jar} whose premain class is not the
 * one running) leaves the bridge to be defined here, class by class, with the JDK's internal
 * {@code Unsafe.defineClass}, exported for this to the agent's own class loader only (the application's modules never
 * get {@code jdk.internal.misc}); that export costs milliseconds ({@code redefineModule} spins lambda classes).
 * Called once, before any class that refers to the bridge is loaded or hooked.
 */
final class BootBridge implements Callable<Object> {
    static final String PACKAGE_PATH = "dev/inlay/bootstrap/";
    /**
     * The bridge, named rather than found by listing the jar (listing its entries costs milliseconds of every start);
     * a test checks that this is the whole package.
     */
    static final List<String> CLASSES = List.of("Checks", "Inlay", "Inlay$1", "Inlay$Walk");

    private final Instrumentation inst;
    private final JarFile agentJar;
    private final ClassLoader agentLoader;
    private volatile boolean defined;

    BootBridge(Instrumentation inst, JarFile agentJar, ClassLoader agentLoader) {
        this.inst = inst;
        this.agentJar = agentJar;
        this.agentLoader = agentLoader;
    }

    /**
     * Defines the bridge and names the agent's class loader to it, before any hook exists (the tamper guard trusts
     * that loader from then on).
     *
     * @return the key that exempts the agent's own threads from checks ({@code Inlay.claim})
     */
    @Override
    public Object call() throws IOException {
        if (!inBootLoader("dev.inlay.bootstrap.Inlay")) {
            define(inst, agentJar);
            defined = true;
        } else if (!inBootLoader("dev.inlay.agent.InlayAgent")) {
            // The bridge came from another jar's Boot-Class-Path than the premain class: its version is unknown.
            throw new IllegalStateException(
                    "another jar on the boot class path holds the bridge; " + agentJar.getName() + " cannot use it");
        }
        return Inlay.claim(agentLoader);
    }

    /** How the bridge got into the boot loader, for the started status: "boot-class-path" or "defined". */
    String origin() {
        return defined ? "defined" : "boot-class-path";
    }

    /** Whether the boot class loader has or finds the class (on the boot class path), without initializing it. */
    static boolean inBootLoader(String className) {
        try {
            Class.forName(className, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Defines the bridge in the boot loader; where the JDK does not allow that, appends the jar to the boot path. */
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
            if (entry == null)
                throw new IllegalStateException("no " + PACKAGE_PATH + name + " in " + agentJar.getName());
            try (InputStream in = agentJar.getInputStream(entry)) {
                classes.add(in.readAllBytes());
            }
        }
        Module javaBase = Object.class.getModule();
        inst.redefineModule(
                javaBase,
                Set.of(),
                Map.of("jdk.internal.misc", Set.of(BootBridge.class.getModule())),
                Map.of(),
                Set.of(),
                Map.of());
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
