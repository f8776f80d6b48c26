package dev.inlay.agent;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
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
 * Loads the implementation from the agent jar's class packs (written by the build's {@code PackClasses}: the
 * agent's own classes in {@value #OWN_CLASSES}, the libraries it shades in {@value #LIBRARY_CLASSES}) and its
 * resources from {@code inlay/impl/}; parent: the platform class loader. It also hands the implementation, through
 * JDK interfaces, the open agent jar and when premain started, and is told through {@link Runnable} that startup
 * is over.
 */
final class ImplLoader extends ClassLoader implements Supplier<JarFile>, LongSupplier, Runnable {
    /** Where the implementation's resources are in the jar, and its class packs. */
    static final String IMPL_PREFIX = "inlay/impl/";

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
            String binaryName =
                    name.substring(0, name.length() - ".class".length()).replace('/', '.');
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
