package dev.inlay.model;

import java.nio.file.Path;

/**
 * The agent jar's wrap-time hooking of an image's JDK classes (docs/ARCHITECTURE.md, "Hooks computed at wrap time"):
 * {@code inlay wrap} finds it with {@link java.util.ServiceLoader} in the agent jar it is about to package, so that the
 * jar that goes into the layer decides what its hooks are. A jar that does not provide it cannot be packaged.
 */
public interface HookPrecomputation {
    /**
     * One JDK's hooked classes, in the format of {@link LayerLayout#HOOKED_CLASSES} (the sections of several JDKs are
     * concatenated).
     *
     * @param javaHome where the JDK is in the image (its {@code java.home} there)
     * @param jdkDir   a directory with the JDK's {@code release}, {@code lib/modules} and {@code lib/jrt-fs.jar}
     * @throws Exception the JDK cannot be read or hooked this way (the agent then hooks it at startup)
     */
    byte[] hookedClasses(String javaHome, Path jdkDir) throws Exception;
}
