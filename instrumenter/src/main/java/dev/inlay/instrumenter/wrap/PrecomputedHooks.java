package dev.inlay.instrumenter.wrap;

import dev.inlay.model.HookPrecomputation;
import dev.inlay.model.LayerLayout;
import dev.inlay.model.WrapTimeAgent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The agent's hooked JDK classes for each JDK of the image, computed at wrap time so that the agent does not load
 * and run ASM at every container start (docs/ARCHITECTURE.md, "Hooks computed at wrap time"). The computing is the
 * agent jar's own (its {@link HookPrecomputation}, found with {@code ServiceLoader} in the jar alone): the jar that
 * goes into the layer decides what its hooks are, and the image's JDK is read with the image's own
 * {@code jrt-fs.jar}. A jar that provides no such computation fails the wrap (it is not this inlay's agent jar); a
 * JDK that cannot be read this way is left to the agent, which hooks it with ASM at startup as before: a slower
 * start, never a missing hook.
 */
final class PrecomputedHooks {
    private PrecomputedHooks() {}

    /**
     * The file to put next to the agent jar; empty when no JDK could be done.
     *
     * @throws IllegalStateException the agent jar provides no {@link HookPrecomputation} (a defect of the build)
     */
    static byte[] compute(byte[] agentJar, List<ImageFilesystem.JdkFiles> jdks, Path workDir, Consumer<String> warnings)
            throws IOException {
        if (jdks.isEmpty()) return new byte[0];
        Path jar = Files.write(workDir.resolve(LayerLayout.AGENT_JAR), agentJar);
        ByteArrayOutputStream sections = new ByteArrayOutputStream();
        try (WrapTimeAgent agent = WrapTimeAgent.open(jar)) {
            HookPrecomputation precomputation = agent.hookPrecomputation();
            for (int i = 0; i < jdks.size(); i++) {
                ImageFilesystem.JdkFiles jdk = jdks.get(i);
                try {
                    // The layout the JDK's jrt reader expects, linked to the copies (two homes may share them).
                    Path dir = Files.createDirectories(
                                    workDir.resolve("jdk-" + i).resolve("lib"))
                            .getParent();
                    Files.write(dir.resolve("release"), jdk.release());
                    Files.createSymbolicLink(dir.resolve("lib/modules"), jdk.modules());
                    Files.createSymbolicLink(dir.resolve("lib/jrt-fs.jar"), jdk.jrtFs());
                    sections.write(precomputation.hookedClasses(jdk.home(), dir));
                } catch (Exception | LinkageError e) {
                    warnings.accept("cannot hook the classes of the JDK in " + jdk.home() + " ahead of time (" + e
                            + "); the agent hooks them with ASM at startup");
                }
            }
        }
        return sections.toByteArray();
    }
}
