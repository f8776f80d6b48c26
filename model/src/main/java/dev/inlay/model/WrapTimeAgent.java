package dev.inlay.model;

import java.io.Closeable;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * An agent jar as {@code inlay wrap} uses it before packaging it: what the jar provides for wrap time, found with
 * {@link ServiceLoader} in the jar alone. The jar's classes see this module's classes from the wrapping side (the
 * interfaces they implement) and the JDK's, nothing else. Neither this class nor {@link HookPrecomputation} is in the
 * agent jar (runtime-layer/pom.xml), so neither is ever loaded in a protected JVM.
 */
public final class WrapTimeAgent implements Closeable {
    private final Path jar;
    private final URLClassLoader loader;

    private WrapTimeAgent(Path jar, URLClassLoader loader) {
        this.jar = jar;
        this.loader = loader;
    }

    public static WrapTimeAgent open(Path jar) throws IOException {
        return new WrapTimeAgent(
                jar,
                new URLClassLoader(
                        "inlay-agent-jar",
                        new URL[] {jar.toUri().toURL()},
                        new ModelOnly(WrapTimeAgent.class.getClassLoader())));
    }

    /**
     * The jar's hook precomputation.
     *
     * @throws IllegalStateException the jar provides none (not an inlay agent jar, or one built without it): a wrap
     *                               with it would package an agent whose hooks nobody computed
     */
    public HookPrecomputation hookPrecomputation() {
        Iterator<HookPrecomputation> found =
                ServiceLoader.load(HookPrecomputation.class, loader).iterator();
        try {
            if (found.hasNext()) return found.next();
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException(
                    "the agent jar " + jar.getFileName() + " names a " + HookPrecomputation.class.getName()
                            + " it cannot provide: " + e.getMessage(),
                    e);
        }
        throw new IllegalStateException("the agent jar " + jar.getFileName() + " provides no "
                + HookPrecomputation.class.getName() + " (META-INF/services): it is not an agent jar of this inlay"
                + " version; rebuild it with mvn package");
    }

    @Override
    public void close() throws IOException {
        loader.close();
    }

    /** This module's classes from the wrapping side, the JDK's from the platform loader, no other class. */
    private static final class ModelOnly extends ClassLoader {
        private static final String MODEL = WrapTimeAgent.class.getPackageName() + ".";
        private final ClassLoader model;

        ModelOnly(ClassLoader model) {
            super("inlay-model", ClassLoader.getPlatformClassLoader());
            this.model = model;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith(MODEL)) return model.loadClass(name);
            return super.loadClass(name, resolve);
        }
    }
}
