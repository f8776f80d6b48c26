package dev.inlay.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * One class pack of the agent jar, a stored entry (format: the build's {@code PackClasses}). Read whole at its
 * first use, which is one read instead of an entry lookup, a stream and an inflater per class (~0.3 ms a class in
 * the interpreter before main()). Once the agent has started only its tables are kept, and a class file is read
 * from the jar by its offset.
 */
final class ClassPack {
    static final int MAGIC = 0x494E4C43;

    private final JarFile jarFile;
    private final JarEntry entry;
    private final String name;
    /** The tables and names: the whole pack until released, then a copy of those alone; null until read. */
    private volatile byte[] tables;
    /** The whole pack until released. */
    private volatile byte[] whole;

    private boolean released;
    private int count;

    ClassPack(JarFile jarFile, String name) throws IOException {
        this.jarFile = jarFile;
        this.name = name;
        this.entry = jarFile.getJarEntry(name);
        if (entry == null) throw new IOException("no class pack " + name + " in " + jarFile.getName());
    }

    synchronized void read() throws IOException {
        if (tables != null) return;
        long size = entry.getSize();
        if (size < 8 || size > Integer.MAX_VALUE) throw new IOException(damaged());
        byte[] pack = new byte[(int) size];
        try (InputStream in = jarFile.getInputStream(entry)) {
            if (in.readNBytes(pack, 0, pack.length) != pack.length) throw new IOException(damaged());
        }
        int n = intAt(pack, 4);
        if (intAt(pack, 0) != MAGIC || n < 0 || n > (pack.length - 8) / 16) throw new IOException(damaged());
        count = n;
        if (n > 0 && (long) offset(pack, n - 1) + length(pack, n - 1) != pack.length) {
            throw new IOException(damaged());
        }
        whole = released ? null : pack;
        tables = released ? tablesOf(pack) : pack;
    }

    private String damaged() {
        return "class pack " + name + " in " + jarFile.getName() + " is damaged";
    }

    private byte[] tablesOf(byte[] pack) {
        return Arrays.copyOf(pack, count == 0 ? 8 : offset(pack, 0));
    }

    synchronized void release() {
        released = true;
        byte[] pack = whole;
        if (pack == null) return;
        tables = tablesOf(pack);
        whole = null;
    }

    /** The pack's bytes while the agent starts, else null. */
    byte[] whole() {
        return whole;
    }

    /**
     * The position of a binary name in the pack, or -1: a binary search of the names' hash codes (the JVM has
     * hashed the name it asks for already), then a comparison with each name of that hash.
     */
    int find(String binaryName) throws IOException {
        byte[] pack = tables;
        if (pack == null) {
            read();
            pack = tables;
        }
        int hash = binaryName.hashCode();
        int low = 0;
        int high = count - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int found = intAt(pack, 8 + 4 * middle);
            if (found < hash) {
                low = middle + 1;
            } else if (found > hash) {
                high = middle - 1;
            } else {
                int first = middle;
                while (first > 0 && intAt(pack, 8 + 4 * (first - 1)) == hash) first--;
                for (int i = first; i < count && intAt(pack, 8 + 4 * i) == hash; i++) {
                    if (nameIs(pack, i, binaryName)) return i;
                }
                return -1;
            }
        }
        return -1;
    }

    private boolean nameIs(byte[] pack, int i, String binaryName) {
        int at = intAt(pack, 8 + 4 * count + 4 * i);
        int length = ((pack[at] & 0xff) << 8) | (pack[at + 1] & 0xff);
        if (length != binaryName.length()) return false;
        for (int k = 0; k < length; k++) {
            if (pack[at + 2 + k] != binaryName.charAt(k)) return false;
        }
        return true;
    }

    int offset(byte[] pack, int i) {
        return intAt(pack, 8 + 8 * count + 4 * i);
    }

    int length(byte[] pack, int i) {
        return intAt(pack, 8 + 12 * count + 4 * i);
    }

    /** A copy of one class file. */
    byte[] classFile(int i) throws IOException {
        byte[] pack = whole;
        if (pack != null) return Arrays.copyOfRange(pack, offset(pack, i), offset(pack, i) + length(pack, i));
        byte[] index = tables;
        try (InputStream in = jarFile.getInputStream(entry)) {
            in.skipNBytes(offset(index, i)); // a stored entry: a seek, nothing read
            return in.readNBytes(length(index, i));
        }
    }

    private static int intAt(byte[] bytes, int at) {
        return (bytes[at] & 0xff) << 24
                | (bytes[at + 1] & 0xff) << 16
                | (bytes[at + 2] & 0xff) << 8
                | (bytes[at + 3] & 0xff);
    }
}
