package dev.inlay.runtime.hooks;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.ByteArrayInputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The hooked JDK classes computed ahead of time by {@code inlay wrap} from the image's own JDK, so that the agent
 * loads neither ASM nor runs it at startup (ASM's classes and the rewriting of the ten funnels loaded before any
 * agent cost ~40 ms of every start, docs/BENCHMARKS.md). The file {@value #FILE} lies next to the agent jar; it is
 * code, exactly as trusted as the agent jar beside it.
 *
 * <p>A file is a sequence of sections, one per JDK of the image: magic, format version, the fingerprint of the hook
 * table that computed it, the JDK's home and the length of the body; the body holds the JDK's {@code release} file,
 * the size of its {@code lib/modules}, an index (per class the internal name and the lengths of its original and
 * hooked bytes), then the bytes. The agent reads its own JDK's body in one piece and skips the others. A precomputed class is used only when it cannot
 * differ from what ASM would produce now:
 * <ul>
 *   <li>a class being defined (loaded after the agent) must have exactly the original bytes recorded;
 *   <li>a class being retransformed (loaded before the agent) comes to the transformer rebuilt by the JVM, not as it
 *       was in the image, so its JDK must be the recorded one ({@code java.home}, {@code release} byte for byte,
 *       {@code lib/modules} size) and this agent must be the JVM's only agent: another one's changes to the class
 *       would be in the rebuilt bytes and are not in the precomputed ones.
 * </ul>
 * Anything else, and a file that is missing, damaged or from another hook table, falls back to ASM at run time.
 */
public final class HookedClasses {
    public static final String FILE = "hooked-classes.bin";
    private static final int MAGIC = 0x494e4c48; // "INLH"
    private static final int FORMAT = 2;
    private static final int MAX_BYTES = 16 << 20;
    /** Magic, format, the table's fingerprint and the length of the home's name. */
    private static final int HEAD = 4 + 4 + 8 + 2;

    /**
     * Where each class's original and hooked bytes are in {@link #body}, by internal name: offsets and lengths, so that
     * loading is one read of the section and nothing is copied until a class is hooked.
     */
    private final Map<String, int[]> classes;
    private final byte[] body;
    /** The running JDK is the one recorded (java.home, release, lib/modules size). */
    private final boolean sameJdk;
    private final boolean retransformable;

    private HookedClasses(Map<String, int[]> classes, byte[] body, boolean sameJdk, boolean retransformable) {
        this.classes = classes;
        this.body = body;
        this.sameJdk = sameJdk;
        this.retransformable = retransformable;
    }

    static HookedClasses none() {
        return new HookedClasses(Map.of(), new byte[0], false, false);
    }

    /** These classes, told whether this agent is the JVM's only one ({@link #soleAgent}). */
    HookedClasses withSoleAgent(boolean sole) {
        return new HookedClasses(classes, body, sameJdk, sameJdk && sole);
    }

    /** Whether the classes loaded before the agent are covered, unless another agent is found. */
    boolean coversStartup() {
        return sameJdk && !classes.isEmpty();
    }

    /** How many classes this JDK has precomputed. */
    int size() {
        return classes.size();
    }

    /**
     * The precomputed hooked bytes of a class, or null when they cannot be used.
     *
     * @param original the class file being defined, or null when the class is being retransformed
     */
    byte[] hooked(String type, byte[] original) {
        int[] at = classes.get(type);
        if (at == null) return null;
        if (original == null ? !retransformable
                : !Arrays.equals(body, at[0], at[0] + at[1], original, 0, original.length)) {
            return null;
        }
        return Arrays.copyOfRange(body, at[2], at[2] + at[3]);
    }

    // ---- computing (inlay wrap, through InlayAgent.hookedClasses)

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
        java.security.CodeSource source = jrt.provider().getClass().getProtectionDomain().getCodeSource();
        Path expected = jdkDir.resolve("lib/jrt-fs.jar").toRealPath();
        Path actual = null;
        try {
            if (source != null && source.getLocation() != null) actual = Path.of(source.getLocation().toURI()).toRealPath();
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
        Path packageDir = jrt.getPath("/packages", type.substring(0, type.lastIndexOf('/')).replace('/', '.'));
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
            byte[] hooked = EntryCalls.inject(original, e.getValue(), problems);
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
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeLong(table.fingerprint());
        out.writeUTF(javaHome);
        out.writeInt(bodyBytes.size());
        bodyBytes.writeTo(out);
        out.flush();
        return bytes.toByteArray();
    }

    // ---- loading (agent startup)

    /**
     * The section of the running JDK in the file next to the agent jar; none when there is no file, no section for
     * this JDK or this table, or the file is damaged.
     */
    static HookedClasses load(File agentJar, Hooks table) {
        File file = new File(agentJar.getParentFile(), FILE);
        if (!file.isFile()) return none();
        String javaHome = System.getProperty("java.home");
        long fingerprint = table.fingerprint();
        // RandomAccessFile, read in a few large pieces: another JDK's section is skipped, not read.
        try (RandomAccessFile in = new RandomAccessFile(file, "r")) {
            byte[] head = new byte[HEAD];
            while (in.getFilePointer() < in.length()) {
                in.readFully(head);
                ByteBuffer h = ByteBuffer.wrap(head);
                if (h.getInt() != MAGIC || h.getInt() != FORMAT) return none();
                boolean tableMatches = h.getLong() == fingerprint;
                byte[] home = new byte[h.getShort() & 0xffff];
                in.readFully(home);
                int bodyLength = in.readInt();
                if (bodyLength < 0 || bodyLength > MAX_BYTES) return none();
                if (!tableMatches || !javaHome.equals(new String(home, StandardCharsets.UTF_8))) {
                    in.seek(in.getFilePointer() + bodyLength);
                    continue;
                }
                byte[] body = new byte[bodyLength];
                in.readFully(body);
                return parse(body, javaHome);
            }
            return none();
        } catch (IOException | RuntimeException damaged) {
            return none();
        }
    }

    /** A section's body: the JDK's identity, the index, then the bytes the index points into. */
    private static HookedClasses parse(byte[] body, String javaHome) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        byte[] release = new byte[in.readInt()];
        in.readFully(release);
        long modulesSize = in.readLong();
        int count = in.readInt();
        if (count < 0 || count > 1000) throw new IOException("count " + count);
        String[] types = new String[count];
        int[][] lengths = new int[count][];
        for (int i = 0; i < count; i++) {
            types[i] = in.readUTF();
            lengths[i] = new int[] {in.readInt(), in.readInt()};
        }
        int offset = body.length - in.available();
        Map<String, int[]> classes = new HashMap<>();
        for (int i = 0; i < count; i++) {
            int original = lengths[i][0];
            int hooked = lengths[i][1];
            if (original < 0 || hooked < 0 || (long) offset + original + hooked > body.length) {
                throw new IOException("entry " + types[i] + " out of bounds");
            }
            classes.put(types[i], new int[] {offset, original, offset + original, hooked});
            offset += original + hooked;
        }
        if (offset != body.length) throw new IOException("trailing bytes");
        boolean sameJdk = Arrays.equals(release, readFile(new File(javaHome, "release")))
                && new File(javaHome, "lib/modules").length() == modulesSize;
        return new HookedClasses(classes, body, sameJdk, false);
    }

    private static byte[] readFile(File file) {
        try (InputStream in = new FileInputStream(file)) {
            return in.readNBytes(1 << 20);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Whether this agent is the JVM's only agent: no other {@code -javaagent}, {@code -agentlib}, {@code -agentpath}
     * or {@code -Xrun} among the JVM's arguments, JAVA_TOOL_OPTIONS included.
     */
    static boolean soleAgent() {
        int agents = 0;
        for (String arg : jdk.internal.misc.VM.getRuntimeArguments()) {
            if (arg.startsWith("-javaagent:") || arg.startsWith("-agentlib:") || arg.startsWith("-agentpath:")
                    || arg.startsWith("-Xrun")) {
                agents++;
            }
        }
        return agents == 1;
    }
}
