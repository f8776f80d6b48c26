package dev.inlay.runtime.hooks;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Writes {@link HookedClasses}' file for {@code inlay wrap} (through {@code agent.WrapTimeHooks}, the jar's
 * {@code HookPrecomputation}, which reaches it across the class loader boundary as a {@link BiFunction} of the java
 * home and the JDK's directory): a class of its own so that the agent's startup neither loads nor verifies code it
 * never runs there.
 */
public final class HookedClassesWriter implements BiFunction<String, Path, byte[]> {
    public HookedClassesWriter() {}

    /** {@link #compute(String, Path)}; an I/O failure as an {@link UncheckedIOException}. */
    @Override
    public byte[] apply(String javaHome, Path jdkDir) {
        try {
            return compute(javaHome, jdkDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One section: the hook table's classes of one JDK, hooked, read from its {@code lib/modules} with the JDK's own
     * {@code lib/jrt-fs.jar} (the supported reader of that format, for any JDK release).
     *
     * @param javaHome where the JDK is in the image: the {@code java.home} it will run with
     * @param jdkDir   a directory holding its {@code release}, {@code lib/modules} and {@code lib/jrt-fs.jar}
     */
    public static byte[] compute(String javaHome, Path jdkDir) throws IOException {
        byte[] release = Files.readAllBytes(jdkDir.resolve("release"));
        long modulesSize = Files.size(jdkDir.resolve("lib/modules"));
        try (FileSystem jrt = FileSystems.newFileSystem(URI.create("jrt:/"), Map.of("java.home", jdkDir.toString()))) {
            requireOwnReader(jrt, jdkDir);
            return compute(javaHome, release, modulesSize, new Function<String, byte[]>() {
                @Override
                public byte[] apply(String type) {
                    try {
                        return classFile(jrt, type);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * The JDK falls back to the running JVM's own image, silently, when the jrt-fs.jar it was given holds no reader:
     * the classes would be another JDK's. The reader must come from that jar.
     */
    private static void requireOwnReader(FileSystem jrt, Path jdkDir) throws IOException {
        java.security.CodeSource source =
                jrt.provider().getClass().getProtectionDomain().getCodeSource();
        Path expected = jdkDir.resolve("lib/jrt-fs.jar").toRealPath();
        Path actual = null;
        try {
            if (source != null && source.getLocation() != null)
                actual = Path.of(source.getLocation().toURI()).toRealPath();
        } catch (java.net.URISyntaxException | IllegalArgumentException | IOException e) {
            actual = null;
        }
        if (!expected.equals(actual)) {
            throw new IOException(expected + " is not a usable jrt file system reader (the classes would be read from "
                    + (source == null ? "the running JVM's own image" : String.valueOf(source.getLocation())) + ")");
        }
    }

    /** A class file of a jrt file system, found through the package's module; null when there is none. */
    private static byte[] classFile(FileSystem jrt, String type) throws IOException {
        Path packageDir = jrt.getPath(
                "/packages", type.substring(0, type.lastIndexOf('/')).replace('/', '.'));
        if (!Files.isDirectory(packageDir)) return null;
        try (DirectoryStream<Path> modules = Files.newDirectoryStream(packageDir)) {
            for (Path module : modules) {
                Path file = jrt.getPath("/modules", module.getFileName().toString(), type + ".class");
                if (Files.isRegularFile(file)) return Files.readAllBytes(file);
            }
        }
        return null;
    }

    /**
     * One section from a function giving the JDK's class files.
     *
     * @param jdkClass the JDK's class file for an internal name, or null when it has no such class
     */
    static byte[] compute(String javaHome, byte[] release, long modulesSize, Function<String, byte[]> jdkClass)
            throws IOException {
        Hooks table = new Hooks();
        List<String> types = new ArrayList<>();
        List<byte[][]> entries = new ArrayList<>();
        for (Map.Entry<String, List<Hook>> e : table.byType().entrySet()) {
            byte[] original = jdkClass.apply(e.getKey());
            if (original == null) continue; // a type this JDK does not have (the FFM API before 22)
            List<String> problems = new ArrayList<>();
            byte[] hooked = Injection.inject(original, e.getValue(), problems);
            // A class with a problem is left to the agent, which reports it at run time as it always has.
            if (hooked == null || !problems.isEmpty()) continue;
            types.add(e.getKey());
            entries.add(new byte[][] {original, hooked});
        }
        ByteArrayOutputStream bodyBytes = new ByteArrayOutputStream();
        DataOutputStream body = new DataOutputStream(bodyBytes);
        body.writeInt(release.length);
        body.write(release);
        body.writeLong(modulesSize);
        body.writeInt(types.size());
        for (int i = 0; i < types.size(); i++) {
            body.writeUTF(types.get(i));
            body.writeInt(entries.get(i)[0].length);
            body.writeInt(entries.get(i)[1].length);
        }
        for (byte[][] entry : entries) {
            body.write(entry[0]);
            body.write(entry[1]);
        }
        body.flush();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(HookedClasses.MAGIC);
        out.writeInt(HookedClasses.FORMAT);
        out.writeLong(table.fingerprint());
        out.writeUTF(javaHome);
        out.writeInt(bodyBytes.size());
        bodyBytes.writeTo(out);
        out.flush();
        return bytes.toByteArray();
    }
}
