package dev.inlay.model;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The file {@link LayerLayout#JDK_LINKS}: per JDK of an image, the symbolic links under its home as {@code inlay wrap}
 * found them in the image's layers, so that the agent, which follows the links out of the JDK home for
 * {@code ${java.home}} patterns (docs/POLICY.md, "Roots"), reads them in one small file instead of walking the home
 * (some 500 entries, with a listing of each directory) before main(). The list only names candidates: the agent still
 * resolves each one on the running file system and keeps those that are links out of the home there.
 *
 * <p>A file is a sequence of sections, one per JDK: magic, format version, the JDK's {@code java.home}, its
 * {@code release} file, then the links' paths under the home ({@code /conf/net.properties}). Integers are big-endian
 * 32-bit, strings and the release file a length followed by the bytes (strings in UTF-8). A section is used only for
 * the JDK it was written for: same {@code java.home}, same {@code release} byte for byte; anything else (no section,
 * another JDK at that path, a damaged file) leaves the agent to walk the home as without the file. Read before main():
 * no {@code DataInputStream} (its {@code readInt} sets up VarHandles from JDK 22 on), no lambdas.
 */
public final class JdkLinkList {
    static final int MAGIC = 0x494e4c4c; // "INLL"
    static final int FORMAT = 1;
    /** A JDK has a few dozen links; more than this in one section is not a JDK's (a damaged or hostile file). */
    static final int MAX_LINKS = 100_000;
    /** The file is read whole; a larger one is not this file. */
    public static final int MAX_BYTES = 16 << 20;

    private JdkLinkList() {}

    /**
     * One JDK's section.
     *
     * @param javaHome the JDK's {@code java.home} where it runs
     * @param release  its {@code release} file
     * @param links    the paths of links under the home, each starting with {@code /}
     */
    public static byte[] section(String javaHome, byte[] release, List<String> links) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeInt(out, MAGIC);
        writeInt(out, FORMAT);
        writeBytes(out, javaHome.getBytes(StandardCharsets.UTF_8));
        writeBytes(out, release);
        writeInt(out, links.size());
        for (String link : links) {
            if (!link.startsWith("/")) throw new IllegalArgumentException("not a path under the home: " + link);
            writeBytes(out, link.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /**
     * The links of the JDK at {@code javaHome} whose release file is {@code release}, or null when the file has no
     * section for it or is damaged.
     */
    public static String[] links(byte[] file, String javaHome, byte[] release) {
        if (file == null || javaHome == null || release == null) return null;
        byte[] home = javaHome.getBytes(StandardCharsets.UTF_8);
        // Bounds checked as it goes, not caught: a catch clause would load its exception class before main().
        int at = 0;
        while (at < file.length) {
            if (at > file.length - 12 || readInt(file, at) != MAGIC || readInt(file, at + 4) != FORMAT) return null;
            at += 8;
            int homeLength = length(file, at);
            if (homeLength < 0) return null;
            boolean sameHome = Arrays.equals(file, at + 4, at + 4 + homeLength, home, 0, home.length);
            at += 4 + homeLength;
            int releaseLength = length(file, at);
            if (releaseLength < 0) return null;
            boolean sameRelease = Arrays.equals(file, at + 4, at + 4 + releaseLength, release, 0, release.length);
            at += 4 + releaseLength;
            if (at > file.length - 4) return null;
            int count = readInt(file, at);
            if (count < 0 || count > MAX_LINKS) return null;
            at += 4;
            String[] links = sameHome && sameRelease ? new String[count] : null;
            for (int i = 0; i < count; i++) {
                int n = length(file, at);
                if (n < 0) return null;
                if (links != null) links[i] = new String(file, at + 4, n, StandardCharsets.UTF_8);
                at += 4 + n;
            }
            if (links != null) return links;
        }
        return null;
    }

    /** A length at {@code at}, or -1 when it or what it counts does not fit in the file. */
    private static int length(byte[] file, int at) {
        if (at < 0 || at > file.length - 4) return -1;
        int n = readInt(file, at);
        return n < 0 || n > file.length - at - 4 ? -1 : n;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
        writeInt(out, bytes.length);
        out.write(bytes, 0, bytes.length);
    }
}
