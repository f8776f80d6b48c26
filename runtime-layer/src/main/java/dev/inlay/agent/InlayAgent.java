package dev.inlay.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The premain class: the only agent class the application's class path can see besides the bridge package
 * {@code dev.inlay.bootstrap}. It starts the implementation from {@code inlay/impl/*.classdata} entries through a
 * class loader of its own, so that the application never sees ASM, SnakeYAML or the policy engine; the
 * implementation has the bridge defined in the boot class loader ({@code BootBridge}).
 */
public final class InlayAgent {
    static final String IMPL_PREFIX = "inlay/impl/";
    private static final String BOOT = "dev.inlay.runtime.AgentBoot";

    private InlayAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst);
    }

    private static void start(String args, Instrumentation inst) {
        long started = System.nanoTime();
        if (isJdkTool()) return;
        try {
            File jar = new File(InlayAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            JarFile jarFile = new JarFile(jar, false);
            ClassLoader impl = new ImplLoader(jarFile, jar, ClassLoader.getPlatformClassLoader(), started);
            Class<?> boot = Class.forName(BOOT, true, impl);
            // premain's own shape (the rest comes from the loader): on JDK 18 and later reflection spins method
            // handle classes for each new call shape, ~30 ms on JDK 25 for five arguments; the JVM just made this one.
            boot.getMethod("start", String.class, Instrumentation.class).invoke(null, args, inst);
        } catch (Throwable t) {
            // The agent must never take the application down because it failed to start itself.
            System.err.println("inlay: agent not started: " + t);
        }
    }

    /**
     * For {@code inlay wrap}: one JDK's hooked classes, computed by this jar's own hook table and injector, in the
     * format the agent reads at startup ({@code HookedClasses}); the sections of several JDKs are concatenated.
     *
     * @param javaHome where the JDK is in the image (its {@code java.home} there)
     * @param jdkDir   a directory with the JDK's {@code release}, {@code lib/modules} and {@code lib/jrt-fs.jar}
     */
    public static byte[] hookedClasses(String javaHome, java.nio.file.Path jdkDir) throws Exception {
        File jar = new File(InlayAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (JarFile jarFile = new JarFile(jar, false)) {
            ClassLoader impl = new ImplLoader(jarFile, jar, ClassLoader.getPlatformClassLoader(), System.nanoTime());
            Class<?> hooked = Class.forName("dev.inlay.runtime.hooks.HookedClassesWriter", true, impl);
            return (byte[]) hooked.getMethod("compute", String.class, java.nio.file.Path.class)
                    .invoke(null, javaHome, jdkDir);
        }
    }

    /** JDK tools started with the same JAVA_TOOL_OPTIONS (jcmd, jps, javac, jshell, keytool...) are left alone. */
    static boolean isJdkTool() {
        String module = System.getProperty("jdk.module.main");
        if (module != null && (module.startsWith("jdk.") || module.startsWith("java."))) return true;
        String command = System.getProperty("sun.java.command", "");
        String main = command.isEmpty() ? "" : command.split(" ", 2)[0];
        return main.startsWith("sun.tools.") || main.startsWith("com.sun.tools.") || main.startsWith("jdk.internal.")
                || main.startsWith("sun.security.tools.") || main.startsWith("jdk.jshell.")
                || main.startsWith("sun.jvm.hotspot.");
    }

    /**
     * Loads the implementation from the agent jar's hidden entries; parent: the platform class loader. It also hands
     * the implementation, through JDK interfaces, the open agent jar and when premain started.
     */
    static final class ImplLoader extends ClassLoader implements Supplier<JarFile>, LongSupplier {
        static {
            registerAsParallelCapable();
        }

        private final JarFile jarFile;
        private final String jarUrl;
        private final ProtectionDomain domain;
        private final long startedNanos;

        ImplLoader(JarFile jarFile, File jar, ClassLoader parent, long startedNanos) throws MalformedURLException {
            super("inlay", parent);
            this.jarFile = jarFile;
            this.startedNanos = startedNanos;
            URL location = jar.toURI().toURL();
            this.jarUrl = "jar:" + location + "!/";
            this.domain = new ProtectionDomain(new CodeSource(location, (Certificate[]) null), null, this, null);
        }

        /** The agent jar, open. */
        @Override
        public JarFile get() {
            return jarFile;
        }

        /** {@code System.nanoTime()} when premain started. */
        @Override
        public long getAsLong() {
            return startedNanos;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            JarEntry entry = jarFile.getJarEntry(IMPL_PREFIX + name.replace('.', '/') + ".classdata");
            if (entry == null) throw new ClassNotFoundException(name);
            try (InputStream in = jarFile.getInputStream(entry)) {
                byte[] bytes = in.readAllBytes();
                return defineClass(name, bytes, 0, bytes.length, domain);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }

        private String entryName(String resource) {
            if (resource.endsWith(".class")) {
                return IMPL_PREFIX + resource.substring(0, resource.length() - ".class".length()) + ".classdata";
            }
            return IMPL_PREFIX + resource;
        }

        /** Reads straight from the open jar (the agent's own resources) without opening it again. */
        @Override
        public InputStream getResourceAsStream(String name) {
            JarEntry entry = jarFile.getJarEntry(entryName(name));
            if (entry != null) {
                try {
                    return jarFile.getInputStream(entry);
                } catch (IOException e) {
                    return null;
                }
            }
            return super.getResourceAsStream(name);
        }

        @Override
        protected URL findResource(String name) {
            String entry = entryName(name);
            if (jarFile.getJarEntry(entry) == null) return null;
            try {
                return new URL(jarUrl + entry);
            } catch (MalformedURLException e) {
                return null;
            }
        }

        @Override
        protected Enumeration<URL> findResources(String name) {
            URL url = findResource(name);
            return url == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singleton(url));
        }
    }
}
