package dev.inlay.instrumenter.wrap;

import dev.inlay.instrumenter.image.Digests;
import dev.inlay.model.HookPrecomputation;
import dev.inlay.model.LayerLayout;
import dev.inlay.model.WrapTimeAgent;
import dev.inlay.scanner.cache.LayerFactCache;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
    /** Cache kind of one JDK's hooked classes (a section of {@link LayerLayout#HOOKED_CLASSES}). */
    static final String KIND = "hooked-classes";

    static final int VERSION = 1;

    private PrecomputedHooks() {}

    /**
     * The file to put next to the agent jar; empty when no JDK could be done. A JDK's section is taken from the cache
     * when one was computed for the same class image by the same agent (see {@link #key}); only a JDK not in it is
     * read, from the copies the scan made or by reading its layer again.
     *
     * @param cache where sections are kept, or null for none
     * @throws IllegalStateException the agent jar provides no {@link HookPrecomputation} (a defect of the build)
     */
    static byte[] compute(
            byte[] agentJar,
            ImageFilesystem fs,
            List<ImageFilesystem.JdkFiles> jdks,
            Path workDir,
            Consumer<String> warnings,
            LayerFactCache cache)
            throws IOException {
        if (jdks.isEmpty()) return new byte[0];
        String agentDigest = Digests.of(agentJar);
        byte[][] sections = new byte[jdks.size()][];
        boolean allCached = true;
        for (int i = 0; i < jdks.size(); i++) {
            byte[] entry = cache == null
                    ? null
                    : cache.readBytes(KIND, VERSION, key(agentDigest, jdks.get(i)))
                            .orElse(null);
            if (entry != null && entry.length > 0 && entry[0] == SECTION) {
                sections[i] = java.util.Arrays.copyOfRange(entry, 1, entry.length);
            } else if (entry != null && entry.length > 0 && entry[0] == FAILED) {
                // the same agent could not read this class image before: it cannot now, and its layer is not read
                warnings.accept(new String(entry, 1, entry.length - 1, StandardCharsets.UTF_8));
                sections[i] = new byte[0];
            } else {
                allCached = false;
            }
        }
        if (!allCached) {
            Path jar = Files.write(workDir.resolve(LayerLayout.AGENT_JAR), agentJar);
            try (WrapTimeAgent agent = WrapTimeAgent.open(jar)) {
                HookPrecomputation precomputation = agent.hookPrecomputation();
                for (int i = 0; i < jdks.size(); i++) {
                    if (sections[i] != null) continue;
                    ImageFilesystem.JdkFiles jdk = jdks.get(i);
                    Path dir;
                    try {
                        // The layout the JDK's jrt reader expects, linked to the copies (two homes may share them).
                        dir = Files.createDirectories(
                                        workDir.resolve("jdk-" + i).resolve("lib"))
                                .getParent();
                        Files.write(dir.resolve("release"), jdk.release());
                        Files.createSymbolicLink(dir.resolve("lib/modules"), fs.copyOf(jdk.modules()));
                        Files.createSymbolicLink(dir.resolve("lib/jrt-fs.jar"), fs.copyOf(jdk.jrtFs()));
                    } catch (IOException | RuntimeException e) {
                        // not the class image's fault (a download, the work directory): tried again next time
                        warnings.accept(warning(jdk, e));
                        continue;
                    }
                    String key = key(agentDigest, jdk);
                    try {
                        sections[i] = precomputation.hookedClasses(jdk.home(), dir);
                        if (cache != null) cache.writeBytes(KIND, VERSION, key, tagged(SECTION, sections[i]));
                    } catch (Exception | LinkageError e) {
                        String warning = warning(jdk, e);
                        warnings.accept(warning);
                        if (cache != null)
                            cache.writeBytes(
                                    KIND, VERSION, key, tagged(FAILED, warning.getBytes(StandardCharsets.UTF_8)));
                    }
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] section : sections) if (section != null) out.writeBytes(section);
        return out.toByteArray();
    }

    /** A cache entry: the section, or why this agent cannot read this class image. */
    private static final byte SECTION = 0;

    private static final byte FAILED = 1;

    private static byte[] tagged(byte tag, byte[] body) {
        byte[] out = new byte[body.length + 1];
        out[0] = tag;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    private static String warning(ImageFilesystem.JdkFiles jdk, Throwable e) {
        return "cannot hook the classes of the JDK in " + jdk.home() + " ahead of time (" + e
                + "); the agent hooks them with ASM at startup";
    }

    /**
     * What a JDK's section depends on: the agent jar (its hooks), the JDK's home (named in the section), and the
     * digests of its class image ({@code lib/modules}), of the reader of its format ({@code lib/jrt-fs.jar}) and of
     * its release file.
     */
    static String key(String agentDigest, ImageFilesystem.JdkFiles jdk) {
        String material = "agent " + agentDigest + "\nhome " + jdk.home() + "\nmodules sha256:"
                + jdk.modules().sha256() + "\njrt-fs sha256:" + jdk.jrtFs().sha256() + "\nrelease "
                + Digests.of(jdk.release()) + "\n";
        return Digests.of(material.getBytes(StandardCharsets.UTF_8));
    }
}
