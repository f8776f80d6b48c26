import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Build step of the agent jar (runtime-layer/pom.xml): packs the implementation's class files into the few entries
 * the agent's class loader reads ({@code agent.ImplLoader}), stored uncompressed. A few entries instead of ~350:
 * looking up, opening and inflating an entry per class cost ~0.3 ms a class in the interpreter before main(), 20-30 ms
 * in all, and the JVM and the agent each scanned a central directory of ~400 entries.
 *
 * <p>Format of a pack (big-endian ints): magic {@code 0x494E4C43} ("INLC"), count, then four tables of count ints:
 * the binary names' {@code String.hashCode()} in ascending order, and in the same order each name's offset, each class
 * file's offset and each class file's length (offsets from the start of the pack); then the names (a 2-byte length
 * and ASCII), then the class files. The loader finds a class by a binary search of the hashes, which the JVM has
 * already computed for the name it asks for: it neither decodes nor hashes ~350 names before main(), which took 5-7 ms
 * in the interpreter.
 *
 * <p>Usage: java PackClasses.java DIR OUT.zip RULE...: every .class under DIR goes to the pack of the first rule whose
 * prefixes its relative path starts with: {@code ENTRY=PREFIX,PREFIX} packs those into ENTRY, {@code ENTRY=} the
 * rest, {@code !PREFIX} leaves them out. OUT.zip holds the packs alone (the jar task copies them, keeping them stored).
 */
public final class PackClasses {
    static final int MAGIC = 0x494E4C43;

    record Packed(String name, byte[] bytes) {}

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        Path out = Path.of(args[1]);
        List<String> rules = List.of(args).subList(2, args.length);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
        Map<String, List<Packed>> packs = new LinkedHashMap<>();
        for (String rule : rules) {
            if (!rule.startsWith("!")) packs.put(rule.substring(0, rule.indexOf('=')), new ArrayList<>());
        }
        for (Path file : files) {
            String relative = root.relativize(file).toString();
            String entry = entryOf(relative, rules);
            if (entry == null) continue;
            String name =
                    relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
            if (!StandardCharsets.US_ASCII.newEncoder().canEncode(name) || name.length() > 0xffff) {
                throw new IllegalArgumentException("not a packable class name: " + name);
            }
            packs.get(entry).add(new Packed(name, Files.readAllBytes(file)));
        }
        try (OutputStream file = Files.newOutputStream(out);
                ZipOutputStream zip = new ZipOutputStream(file)) {
            for (Map.Entry<String, List<Packed>> pack : packs.entrySet()) {
                byte[] bytes = pack(pack.getValue());
                CRC32 crc = new CRC32();
                crc.update(bytes);
                ZipEntry entry = new ZipEntry(pack.getKey());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(bytes.length);
                entry.setCompressedSize(bytes.length);
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(bytes);
                zip.closeEntry();
                System.out.println("PackClasses: " + pack.getValue().size() + " class files, " + bytes.length
                        + " bytes, into " + pack.getKey());
            }
        }
    }

    /** The pack a class file goes to, or null if it is left out. */
    private static String entryOf(String relative, List<String> rules) {
        for (String rule : rules) {
            if (rule.startsWith("!")) {
                if (relative.startsWith(rule.substring(1))) return null;
                continue;
            }
            int equals = rule.indexOf('=');
            String prefixes = rule.substring(equals + 1);
            if (prefixes.isEmpty()) return rule.substring(0, equals);
            for (String prefix : prefixes.split(",")) if (relative.startsWith(prefix)) return rule.substring(0, equals);
        }
        throw new IllegalArgumentException("no rule for " + relative);
    }

    static byte[] pack(List<Packed> classes) throws IOException {
        classes.sort(Comparator.comparingInt((Packed c) -> c.name().hashCode()).thenComparing(Packed::name));
        int count = classes.size();
        int namesStart = 8 + 16 * count;
        int classesStart = namesStart;
        for (Packed c : classes) classesStart += 2 + c.name().length();
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(packed)) {
            data.writeInt(MAGIC);
            data.writeInt(count);
            for (Packed c : classes) data.writeInt(c.name().hashCode());
            int nameOffset = namesStart;
            for (Packed c : classes) {
                data.writeInt(nameOffset);
                nameOffset += 2 + c.name().length();
            }
            int classOffset = classesStart;
            for (Packed c : classes) {
                data.writeInt(classOffset);
                classOffset += c.bytes().length;
            }
            for (Packed c : classes) data.writeInt(c.bytes().length);
            for (Packed c : classes) {
                data.writeShort(c.name().length());
                data.write(c.name().getBytes(StandardCharsets.US_ASCII));
            }
            for (Packed c : classes) data.write(c.bytes());
        }
        return packed.toByteArray();
    }
}
