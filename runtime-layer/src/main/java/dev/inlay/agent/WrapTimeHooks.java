package dev.inlay.agent;

import dev.inlay.model.HookPrecomputation;

import java.io.File;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.BiFunction;
import java.util.jar.JarFile;

/**
 * What this jar provides {@code inlay wrap} ({@code META-INF/services/dev.inlay.model.HookPrecomputation}): one
 * JDK's hooked classes, computed by this jar's own hook table and injector ({@code hooks.HookedClassesWriter}, from
 * the class pack like the rest of the implementation), in the format the agent reads at startup
 * ({@code HookedClasses}). Never loaded in a protected JVM.
 */
public final class WrapTimeHooks implements HookPrecomputation {
    private static final String WRITER = "dev.inlay.runtime.hooks.HookedClassesWriter";

    @Override
    @SuppressWarnings("unchecked")
    public byte[] hookedClasses(String javaHome, Path jdkDir) throws Exception {
        File jar = AgentJars.agentJar();
        try (JarFile jarFile = new JarFile(jar, false)) {
            ClassLoader impl = new ImplLoader(jarFile, jar, ClassLoader.getPlatformClassLoader(), System.nanoTime());
            // Across the class loader boundary through a JDK interface, as premain hands over to AgentBoot.
            BiFunction<String, Path, byte[]> writer = (BiFunction<String, Path, byte[]>)
                    Class.forName(WRITER, true, impl).getConstructor().newInstance();
            try {
                return writer.apply(javaHome, jdkDir);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }
}
