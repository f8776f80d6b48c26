package dev.inlay.agent;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The premain class: the only agent class the application's class path can see besides the bridge package
 * {@code dev.inlay.bootstrap}. It starts the implementation from the jar's class pack through a class loader of its
 * own, so that the application never sees ASM, SnakeYAML or the policy engine; the
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
        File jar = null;
        try {
            jar = agentJar();
            JarFile jarFile = new JarFile(jar, false);
            ClassLoader impl = new ImplLoader(jarFile, jar, ClassLoader.getPlatformClassLoader(), started);
            Class<?> boot = Class.forName(BOOT, true, impl);
            // premain's own shape (the rest comes from the loader): on JDK 18 and later reflection spins method
            // handle classes for each new call shape, ~30 ms on JDK 25 for five arguments; the JVM just made this one.
            boot.getMethod("start", String.class, Instrumentation.class).invoke(null, args, inst);
        } catch (Throwable t) {
            // The implementation could not even be loaded (a damaged jar). As AgentBoot decides once it runs: an
            // application that was to be enforced does not run unchecked unless told to fail open; else it runs on.
            if (enforcing(args, jar)) {
                System.err.println("inlay: the agent failed to start: " + t);
                System.err.println("inlay: refusing to run the application unchecked in enforce mode (set failOpen=true"
                        + " or INLAY_FAIL_OPEN=true to run it unprotected)");
                System.err.flush();
                Runtime.getRuntime().halt(EXIT_AGENT_FAILED);
            }
            System.err.println("inlay: agent not started: " + t);
        }
    }

    /** EX_SOFTWARE, as the implementation's own refusal to start ({@code AgentInstaller.EXIT_AGENT_FAILED}). */
    static final int EXIT_AGENT_FAILED = 70;

    /**
     * Whether the configuration asks for enforcement and not for failing open, read from the sources and in the order
     * the implementation reads them (inlay.properties next to the jar, then the agent arguments, then INLAY_*
     * variables); without a mode, a policy means enforce (the policy may say so). Only for a jar too damaged to load
     * the implementation's own reader.
     */
    static boolean enforcing(String args, File jar) {
        java.util.Properties values = new java.util.Properties();
        File properties = jar == null ? null : new File(jar.getParentFile(), "inlay.properties");
        if (properties != null && properties.isFile()) {
            try (InputStream in = new java.io.FileInputStream(properties)) {
                values.load(in);
            } catch (IOException | IllegalArgumentException e) {
                return true; // unreadable: as the implementation counts an unreadable configuration
            }
        }
        if (args != null) {
            for (String pair : args.split(",")) {
                int eq = pair.indexOf('=');
                if (eq > 0) values.setProperty(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        String[][] variables = {{"mode", "INLAY_MODE"}, {"policy", "INLAY_POLICY"}, {"failOpen", "INLAY_FAIL_OPEN"}};
        for (String[] variable : variables) {
            String value = System.getenv(variable[1]);
            if (value != null && !value.isEmpty()) values.setProperty(variable[0], value.trim());
        }
        String mode = values.getProperty("mode");
        String base64 = System.getenv("INLAY_POLICY_B64");
        boolean policy = values.getProperty("policy") != null || (base64 != null && !base64.isBlank());
        return ("enforce".equals(mode) || (mode == null && policy))
                && !"true".equalsIgnoreCase(values.getProperty("failOpen"));
    }

    /**
     * For {@code inlay wrap}: one JDK's hooked classes, computed by this jar's own hook table and injector, in the
     * format the agent reads at startup ({@code HookedClasses}); the sections of several JDKs are concatenated.
     *
     * @param javaHome where the JDK is in the image (its {@code java.home} there)
     * @param jdkDir   a directory with the JDK's {@code release}, {@code lib/modules} and {@code lib/jrt-fs.jar}
     */
    public static byte[] hookedClasses(String javaHome, java.nio.file.Path jdkDir) throws Exception {
        File jar = agentJar();
        try (JarFile jarFile = new JarFile(jar, false)) {
            ClassLoader impl = new ImplLoader(jarFile, jar, ClassLoader.getPlatformClassLoader(), System.nanoTime());
            Class<?> hooked = Class.forName("dev.inlay.runtime.hooks.HookedClassesWriter", true, impl);
            return (byte[]) hooked.getMethod("compute", String.class, java.nio.file.Path.class)
                    .invoke(null, javaHome, jdkDir);
        }
    }

    /**
     * The jar this class came from. Usually the boot class loader's (the manifest's {@code Boot-Class-Path} names the
     * jar itself, see {@code BootBridge}), which gives its classes no code source.
     */
    static File agentJar() throws URISyntaxException {
        if (InlayAgent.class.getClassLoader() != null) {
            return new File(InlayAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        }
        File named = bootJarNamedInOptions();
        if (named != null) return named;
        // Asking the boot loader, which knows: it sets up a java.util.zip reader of its own for the jar, 8-20 ms.
        String self = String.valueOf(InlayAgent.class.getResource("InlayAgent.class")); // jar:file:/...!/dev/...
        int separator = self.indexOf("!/");
        if (!self.startsWith("jar:") || separator < 0) throw new IllegalStateException("not in a jar: " + self);
        return new File(new URI(self.substring("jar:".length(), separator)));
    }

    /**
     * The {@code inlay-agent.jar} the boot class path got from a {@code Boot-Class-Path}: the one that exists next to a
     * {@code -javaagent} jar among the JVM's options (the JVM resolves the manifest's relative path against the agent
     * jar's canonical directory). Null unless that is exactly one file and the options are all known.
     */
    static File bootJarNamedInOptions() {
        String[] options = JvmOptions.current();
        return options == null ? null : bootJarNamedIn(options);
    }

    static File bootJarNamedIn(String[] options) {
        File found = null;
        for (String option : options) {
            if (JvmOptions.opaque(option)) return null;
            if (!option.startsWith("-javaagent:")) continue;
            String path = option.substring("-javaagent:".length());
            if (path.indexOf('=') >= 0) path = path.substring(0, path.indexOf('='));
            File candidate;
            try {
                candidate = new File(new File(path).getCanonicalFile().getParentFile(), "inlay-agent.jar");
            } catch (IOException | RuntimeException e) {
                return null;
            }
            if (!candidate.isFile() || candidate.equals(found)) continue;
            if (found != null) return null;
            found = candidate;
        }
        return found;
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
     * Loads the implementation from the agent jar's class packs (written by the build's {@code PackClasses}: the
     * agent's own classes in {@value #OWN_CLASSES}, the libraries it shades in {@value #LIBRARY_CLASSES}) and its
     * resources from {@code inlay/impl/}; parent: the platform class loader. It also hands the implementation, through
     * JDK interfaces, the open agent jar and when premain started, and is told through {@link Runnable} that startup
     * is over.
     */
    static final class ImplLoader extends ClassLoader implements Supplier<JarFile>, LongSupplier, Runnable {
        static final String OWN_CLASSES = "inlay/impl/own.classes";
        static final String LIBRARY_CLASSES = "inlay/impl/libraries.classes";

        static {
            registerAsParallelCapable();
        }

        private final JarFile jarFile;
        private final String jarUrl;
        private final ProtectionDomain domain;
        private final long startedNanos;
        /** Searched in this order: the libraries' pack is not even read while the agent does not need them. */
        private final ClassPack[] packs;

        ImplLoader(JarFile jarFile, File jar, ClassLoader parent, long startedNanos) throws IOException {
            super("inlay", parent);
            this.jarFile = jarFile;
            this.startedNanos = startedNanos;
            URL location = jar.toURI().toURL();
            this.jarUrl = "jar:" + location + "!/";
            this.domain = new ProtectionDomain(new CodeSource(location, (Certificate[]) null), null, this, null);
            this.packs = new ClassPack[] {new ClassPack(jarFile, OWN_CLASSES), new ClassPack(jarFile, LIBRARY_CLASSES)};
            packs[0].read(); // at once: premain's next step loads from it
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

        /** The agent has started: the packs' class files go; classes needed from now on are read one by one. */
        @Override
        public void run() {
            for (ClassPack pack : packs) pack.release();
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            try {
                for (ClassPack pack : packs) {
                    int i = pack.find(name);
                    if (i < 0) continue;
                    byte[] whole = pack.whole();
                    if (whole != null) {
                        return defineClass(name, whole, pack.offset(whole, i), pack.length(whole, i), domain);
                    }
                    byte[] bytes = pack.classFile(i);
                    return defineClass(name, bytes, 0, bytes.length, domain);
                }
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
            throw new ClassNotFoundException(name);
        }

        /** A class of the implementation (ASM reads some of its own) from a pack; else a resource under inlay/impl/. */
        @Override
        public InputStream getResourceAsStream(String name) {
            if (name.endsWith(".class")) {
                String binaryName = name.substring(0, name.length() - ".class".length()).replace('/', '.');
                try {
                    for (ClassPack pack : packs) {
                        int i = pack.find(binaryName);
                        if (i >= 0) return new ByteArrayInputStream(pack.classFile(i));
                    }
                } catch (IOException e) {
                    return null;
                }
            }
            JarEntry entry = jarFile.getJarEntry(IMPL_PREFIX + name);
            if (entry != null) {
                try {
                    return jarFile.getInputStream(entry);
                } catch (IOException e) {
                    return null;
                }
            }
            return super.getResourceAsStream(name);
        }

        /** Resources other than classes (those are in the pack and have no URL of their own). */
        @Override
        protected URL findResource(String name) {
            if (jarFile.getJarEntry(IMPL_PREFIX + name) == null) return null;
            try {
                return new URL(jarUrl + IMPL_PREFIX + name);
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

    /**
     * One class pack of the agent jar, a stored entry (format: the build's {@code PackClasses}). Read whole at its
     * first use, which is one read instead of an entry lookup, a stream and an inflater per class (~0.3 ms a class in
     * the interpreter before main()). Once the agent has started only its tables are kept, and a class file is read
     * from the jar by its offset.
     */
    static final class ClassPack {
        static final int MAGIC = 0x494E4C43;

        private final JarFile jarFile;
        private final JarEntry entry;
        private final String name;
        /** The tables and names: the whole pack until released, then a copy of those alone; null until read. */
        private volatile byte[] tables;
        /** The whole pack until released. */
        private volatile byte[] whole;
        private boolean released;
        private int count;

        ClassPack(JarFile jarFile, String name) throws IOException {
            this.jarFile = jarFile;
            this.name = name;
            this.entry = jarFile.getJarEntry(name);
            if (entry == null) throw new IOException("no class pack " + name + " in " + jarFile.getName());
        }

        synchronized void read() throws IOException {
            if (tables != null) return;
            long size = entry.getSize();
            if (size < 8 || size > Integer.MAX_VALUE) throw new IOException(damaged());
            byte[] pack = new byte[(int) size];
            try (InputStream in = jarFile.getInputStream(entry)) {
                if (in.readNBytes(pack, 0, pack.length) != pack.length) throw new IOException(damaged());
            }
            int n = intAt(pack, 4);
            if (intAt(pack, 0) != MAGIC || n < 0 || n > (pack.length - 8) / 16) throw new IOException(damaged());
            count = n;
            if (n > 0 && (long) offset(pack, n - 1) + length(pack, n - 1) != pack.length) {
                throw new IOException(damaged());
            }
            whole = released ? null : pack;
            tables = released ? tablesOf(pack) : pack;
        }

        private String damaged() {
            return "class pack " + name + " in " + jarFile.getName() + " is damaged";
        }

        private byte[] tablesOf(byte[] pack) {
            return Arrays.copyOf(pack, count == 0 ? 8 : offset(pack, 0));
        }

        synchronized void release() {
            released = true;
            byte[] pack = whole;
            if (pack == null) return;
            tables = tablesOf(pack);
            whole = null;
        }

        /** The pack's bytes while the agent starts, else null. */
        byte[] whole() {
            return whole;
        }

        /**
         * The position of a binary name in the pack, or -1: a binary search of the names' hash codes (the JVM has
         * hashed the name it asks for already), then a comparison with each name of that hash.
         */
        int find(String binaryName) throws IOException {
            byte[] pack = tables;
            if (pack == null) {
                read();
                pack = tables;
            }
            int hash = binaryName.hashCode();
            int low = 0;
            int high = count - 1;
            while (low <= high) {
                int middle = (low + high) >>> 1;
                int found = intAt(pack, 8 + 4 * middle);
                if (found < hash) {
                    low = middle + 1;
                } else if (found > hash) {
                    high = middle - 1;
                } else {
                    int first = middle;
                    while (first > 0 && intAt(pack, 8 + 4 * (first - 1)) == hash) first--;
                    for (int i = first; i < count && intAt(pack, 8 + 4 * i) == hash; i++) {
                        if (nameIs(pack, i, binaryName)) return i;
                    }
                    return -1;
                }
            }
            return -1;
        }

        private boolean nameIs(byte[] pack, int i, String binaryName) {
            int at = intAt(pack, 8 + 4 * count + 4 * i);
            int length = ((pack[at] & 0xff) << 8) | (pack[at + 1] & 0xff);
            if (length != binaryName.length()) return false;
            for (int k = 0; k < length; k++) {
                if (pack[at + 2 + k] != binaryName.charAt(k)) return false;
            }
            return true;
        }

        int offset(byte[] pack, int i) {
            return intAt(pack, 8 + 8 * count + 4 * i);
        }

        int length(byte[] pack, int i) {
            return intAt(pack, 8 + 12 * count + 4 * i);
        }

        /** A copy of one class file. */
        byte[] classFile(int i) throws IOException {
            byte[] pack = whole;
            if (pack != null) return Arrays.copyOfRange(pack, offset(pack, i), offset(pack, i) + length(pack, i));
            byte[] index = tables;
            try (InputStream in = jarFile.getInputStream(entry)) {
                in.skipNBytes(offset(index, i)); // a stored entry: a seek, nothing read
                return in.readNBytes(length(index, i));
            }
        }

        private static int intAt(byte[] bytes, int at) {
            return (bytes[at] & 0xff) << 24 | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8
                    | (bytes[at + 3] & 0xff);
        }
    }
}
