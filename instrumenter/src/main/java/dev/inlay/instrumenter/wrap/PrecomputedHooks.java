package dev.inlay.instrumenter.wrap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The agent's hooked JDK classes for each JDK of the image, computed at wrap time so that the agent does not load
 * and run ASM at every container start (docs/ARCHITECTURE.md, "Hooks computed at wrap time"). The computing is the
 * agent jar's own ({@code InlayAgent.hookedClasses}): the jar that goes into the layer decides what its hooks are,
 * and the image's JDK is read with the image's own {@code jrt-fs.jar}. A JDK that cannot be read this way is left to
 * the agent, which hooks it with ASM at startup as before: a slower start, never a missing hook.
 */
final class PrecomputedHooks {
    private PrecomputedHooks() {
    }

    /** The file to put next to the agent jar; empty when no JDK could be done. */
    static byte[] compute(byte[] agentJar, List<ImageFilesystem.JdkFiles> jdks, Path workDir,
                          Consumer<String> warnings) throws IOException {
        if (jdks.isEmpty()) return new byte[0];
        Path jar = Files.write(workDir.resolve("inlay-agent.jar"), agentJar);
        ByteArrayOutputStream sections = new ByteArrayOutputStream();
        try (URLClassLoader agent = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Method hookedClasses;
            try {
                hookedClasses = agent.loadClass("dev.inlay.agent.InlayAgent").getMethod("hookedClasses", String.class,
                        Path.class);
            } catch (ReflectiveOperationException e) {
                warnings.accept("this agent jar cannot hook JDK classes ahead of time (" + e + "); it hooks them with"
                        + " ASM at startup");
                return new byte[0];
            }
            for (int i = 0; i < jdks.size(); i++) {
                ImageFilesystem.JdkFiles jdk = jdks.get(i);
                try {
                    // The layout the JDK's jrt reader expects, linked to the copies (two homes may share them).
                    Path dir = Files.createDirectories(workDir.resolve("jdk-" + i).resolve("lib")).getParent();
                    Files.write(dir.resolve("release"), jdk.release());
                    Files.createSymbolicLink(dir.resolve("lib/modules"), jdk.modules());
                    Files.createSymbolicLink(dir.resolve("lib/jrt-fs.jar"), jdk.jrtFs());
                    sections.write((byte[]) hookedClasses.invoke(null, jdk.home(), dir));
                } catch (InvocationTargetException | IllegalAccessException | IOException | RuntimeException
                         | LinkageError e) {
                    Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
                    warnings.accept("cannot hook the classes of the JDK in " + jdk.home() + " ahead of time (" + cause
                            + "); the agent hooks them with ASM at startup");
                }
            }
        }
        return sections.toByteArray();
    }
}
