package dev.inlay.runtime.hooks;

import dev.inlay.agent.JvmOptions;
import dev.inlay.model.LayerLayout;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The hooked JDK classes computed ahead of time by {@code inlay wrap} from the image's own JDK, so that the agent
 * loads neither ASM nor runs it at startup (ASM's classes and the rewriting of the ten funnels loaded before any
 * agent cost ~40 ms of every start, docs/BENCHMARKS.md). The file {@value #FILE} lies next to the agent jar; it is
 * code, exactly as trusted as the agent jar beside it.
 *
 * <p>A file is a sequence of sections, one per JDK of the image: magic, format version, the fingerprint of the hook
 * table that computed it, the JDK's home and the length of the body; the body holds the JDK's {@code release} file,
 * the size of its {@code lib/modules}, an index (per class the internal name and the lengths of its original and
 * hooked bytes), then the bytes. The agent reads its own JDK's body in one piece and skips the others. A precomputed
 * class is used only when it cannot differ from what ASM would produce now:
 * <ul>
 *   <li>a class being defined (loaded after the agent) must have exactly the original bytes recorded;
 *   <li>a class being retransformed (loaded before the agent) comes to the transformer rebuilt by the JVM, not as it
 *       was in the image, so its JDK must be the recorded one ({@code java.home}, {@code release} byte for byte,
 *       {@code lib/modules} size) and this agent must be the JVM's only agent: another one's changes to the class
 *       would be in the rebuilt bytes and are not in the precomputed ones. Only during the agent's own startup: a
 *       later redefinition or retransformation brings someone else's bytes.
 * </ul>
 * Anything else, and a file that is missing, damaged or from another hook table, falls back to ASM at run time.
 * {@link HookedClassesWriter} computes the file; this class only reads it, at startup.
 */
public final class HookedClasses {
    public static final String FILE = LayerLayout.HOOKED_CLASSES;
    static final int MAGIC = 0x494e4c48; // "INLH"
    static final int FORMAT = 2;
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
        if (original == null
                ? !retransformable
                : !Arrays.equals(body, at[0], at[0] + at[1], original, 0, original.length)) {
            return null;
        }
        return Arrays.copyOfRange(body, at[2], at[2] + at[3]);
    }

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
                byte[] length = new byte[4];
                in.readFully(length); // not readInt: from JDK 22 on it sets up VarHandles (see BigEndianInput)
                int bodyLength = ByteBuffer.wrap(length).getInt();
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
        dev.inlay.policy.BigEndianInput in = new dev.inlay.policy.BigEndianInput(body);
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
     * Whether this agent is the JVM's only agent: exactly one option among the JVM's ({@link JvmOptions}) loads an
     * agent, and none could name one unseen. Errs one way only: a wrong "no" costs the time of hooking with ASM, a
     * wrong "yes" would drop another agent's changes to the classes loaded before this one.
     *
     * @param options the JVM's options, null when they cannot all be known
     */
    static boolean soleAgent(String[] options) {
        if (options == null) return false;
        int agents = 0;
        for (String option : options) {
            if (JvmOptions.opaque(option)) return false;
            if (JvmOptions.namesAgent(option)) agents++;
        }
        return agents == 1;
    }
}
