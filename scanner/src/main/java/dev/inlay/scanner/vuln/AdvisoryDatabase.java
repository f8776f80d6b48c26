package dev.inlay.scanner.vuln;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Advisories in the OSV schema, read from a directory of OSV JSON files, the {@code all.zip} OSV publishes per
 * ecosystem, or a directory holding either (as {@code inlay db fetch} lays it out: {@code DIR/ECOSYSTEM/all.zip}).
 *
 * <p>Opening indexes every record by (ecosystem, package name) without keeping the records: a streaming pass reads
 * only {@code id}, {@code withdrawn} and {@code affected[].package}; a lookup parses just the records it returns. The
 * index of a zip is kept beside it ({@code all.zip.inlay-index}, valid while the zip's size and modification time are
 * those it records; sorted, so that a lookup is a binary search in the mapped file), so a scan against hundreds of
 * thousands of records reads a few pages of the index and a handful of entries, not the whole archive. Withdrawn records are left out of the index.
 */
public final class AdvisoryDatabase implements Closeable {
    static final String INDEX_SUFFIX = ".inlay-index";
    // 2: lines sorted by key (1 was unsorted and is indexed again).
    private static final String INDEX_MAGIC = "inlay-osv-index 2";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory JSON = MAPPER.getFactory();

    private record Ref(int source, String entry) {}

    private final Path root;
    private final List<ZipFile> zips = new ArrayList<>();
    /** Per source: a zip (index into zips) or a directory of JSON files (null). */
    private final List<Object> sources = new ArrayList<>();

    private final Map<String, List<Ref>> index = new HashMap<>();
    /** Kept indexes, searched where they lie (mapped, binary search): opening reads none of them. */
    private final List<SortedIndex> keptIndexes = new ArrayList<>();

    private final Map<Ref, OsvRecord> parsed = new HashMap<>();
    private int records;
    private int withdrawn;

    private AdvisoryDatabase(Path root) {
        this.root = root;
    }

    /** Opens and indexes the database at {@code path} (a directory, a zip or one JSON file). */
    public static AdvisoryDatabase open(Path path) throws IOException {
        if (!Files.exists(path)) throw new NoSuchFileException(path.toString());
        AdvisoryDatabase db = new AdvisoryDatabase(path);
        try {
            if (Files.isDirectory(path)) {
                List<Path> zipFiles = new ArrayList<>();
                List<Path> jsonFiles = new ArrayList<>();
                try (Stream<Path> walk = Files.walk(path)) {
                    walk.filter(Files::isRegularFile).sorted().forEach(p -> {
                        String n = p.getFileName().toString();
                        // Dot files are temporaries (an inlay db fetch under way) or hidden: not part of the database.
                        if (n.startsWith(".")) return;
                        if (n.endsWith(".zip")) zipFiles.add(p);
                        else if (n.endsWith(".json")) jsonFiles.add(p);
                    });
                }
                for (Path z : zipFiles) db.addZip(z);
                if (!jsonFiles.isEmpty()) db.addJsonFiles(jsonFiles);
                if (zipFiles.isEmpty() && jsonFiles.isEmpty()) {
                    throw new AdvisoryFormatException(path + ": no OSV records (no .json or .zip file in it)");
                }
            } else if (path.getFileName().toString().endsWith(".zip")) {
                db.addZip(path);
            } else {
                db.addJsonFiles(List.of(path));
            }
        } catch (IOException | RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /** Records indexed (withdrawn ones not counted). */
    public int size() {
        return records;
    }

    /** Withdrawn records seen and left out. */
    public int withdrawn() {
        return withdrawn;
    }

    public Path root() {
        return root;
    }

    /** The records that name this package in one of their {@code affected} entries; ecosystem as OSV spells it. */
    public List<OsvRecord> advisories(String ecosystem, String name) throws IOException {
        List<Ref> refs = index.getOrDefault(key(ecosystem, name), List.of());
        if (!keptIndexes.isEmpty()) {
            refs = new ArrayList<>(refs);
            for (SortedIndex kept : keptIndexes) kept.lookup(ecosystem, name, refs);
        }
        if (refs.isEmpty()) return List.of();
        List<OsvRecord> out = new ArrayList<>(refs.size());
        for (Ref ref : refs) {
            OsvRecord r = parsed.get(ref);
            if (r == null) {
                r = load(ref);
                parsed.put(ref, r);
            }
            out.add(r);
        }
        return out;
    }

    private static String key(String ecosystem, String name) {
        return ecosystem + '\0' + name;
    }

    private OsvRecord load(Ref ref) throws IOException {
        Object source = sources.get(ref.source);
        String where;
        JsonNode tree;
        if (source instanceof ZipFile zip) {
            where = zip.getName() + "!" + ref.entry;
            ZipEntry e = zip.getEntry(ref.entry);
            if (e == null) throw new AdvisoryFormatException(where + ": the entry vanished from the archive");
            try (InputStream in = zip.getInputStream(e)) {
                tree = MAPPER.readTree(in);
            } catch (JsonProcessingException ex) {
                throw new AdvisoryFormatException(where + ": not valid JSON: " + ex.getOriginalMessage(), ex);
            }
        } else {
            where = ref.entry;
            try {
                tree = MAPPER.readTree(Files.readAllBytes(Path.of(ref.entry)));
            } catch (JsonProcessingException ex) {
                throw new AdvisoryFormatException(where + ": not valid JSON: " + ex.getOriginalMessage(), ex);
            }
        }
        return OsvRecord.from(tree, where);
    }

    private void addJsonFiles(List<Path> files) throws IOException {
        int source = sources.size();
        sources.add(null);
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                indexRecord(source, f.toString(), in, f.toString());
            }
        }
    }

    private void addZip(Path zipPath) throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(zipPath.toFile());
        } catch (ZipException e) {
            throw new AdvisoryFormatException(zipPath + ": not a zip archive (" + e.getMessage() + ")", e);
        }
        zips.add(zip);
        int source = sources.size();
        sources.add(zip);
        Path indexFile = zipPath.resolveSibling(zipPath.getFileName() + INDEX_SUFFIX);
        if (readIndex(source, zipPath, indexFile)) return;
        List<String[]> rows = new ArrayList<>();
        int before = records;
        int withdrawnBefore = withdrawn;
        var entries = zip.entries();
        while (entries.hasMoreElements()) {
            ZipEntry e = entries.nextElement();
            if (e.isDirectory() || !e.getName().endsWith(".json")) continue;
            try (InputStream in = zip.getInputStream(e)) {
                for (String[] pkg : indexRecord(source, e.getName(), in, zipPath + "!" + e.getName())) {
                    rows.add(new String[] {pkg[0], pkg[1], e.getName()});
                }
            } catch (ZipException ex) {
                throw new AdvisoryFormatException(
                        zipPath + "!" + e.getName() + ": a damaged zip entry (" + ex.getMessage() + ")", ex);
            }
        }
        writeIndex(zipPath, indexFile, rows, records - before, withdrawn - withdrawnBefore);
    }

    /** Indexes one record; returns its (ecosystem, name) pairs, none when withdrawn. */
    private List<String[]> indexRecord(int source, String entry, InputStream in, String where) throws IOException {
        String id = null;
        boolean isWithdrawn = false;
        List<String[]> packages = new ArrayList<>(2);
        try (JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new AdvisoryFormatException(where + ": not an OSV record (not a JSON object)");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "id" -> id = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "withdrawn" -> isWithdrawn = t != JsonToken.VALUE_NULL;
                    case "affected" -> {
                        if (t != JsonToken.START_ARRAY) {
                            if (t == JsonToken.VALUE_NULL) break;
                            throw new AdvisoryFormatException(where + ": 'affected' is not a list");
                        }
                        while (p.nextToken() == JsonToken.START_OBJECT) readAffected(p, packages);
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw new AdvisoryFormatException(where + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (id == null) throw new AdvisoryFormatException(where + ": 'id' is missing");
        if (isWithdrawn) {
            withdrawn++;
            return List.of();
        }
        records++;
        for (String[] pkg : packages) add(pkg[0], pkg[1], new Ref(source, entry));
        return packages;
    }

    private static void readAffected(JsonParser p, List<String[]> packages) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (field.equals("package") && t == JsonToken.START_OBJECT) {
                String ecosystem = null;
                String name = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    JsonToken v = p.nextToken();
                    if (f.equals("ecosystem") && v == JsonToken.VALUE_STRING) ecosystem = p.getText();
                    else if (f.equals("name") && v == JsonToken.VALUE_STRING) name = p.getText();
                    else p.skipChildren();
                }
                if (ecosystem != null && name != null) packages.add(new String[] {ecosystem, name});
            } else {
                p.skipChildren();
            }
        }
    }

    private void add(String ecosystem, String name, Ref ref) {
        List<Ref> refs = index.computeIfAbsent(key(ecosystem, name), k -> new ArrayList<>(2));
        // A record that lists one package twice (several ranges as several entries) is returned once.
        if (refs.isEmpty() || !refs.get(refs.size() - 1).equals(ref)) refs.add(ref);
    }

    private static String stamp(Path zipPath) throws IOException {
        return Files.size(zipPath) + " " + Files.getLastModifiedTime(zipPath).toMillis();
    }

    /** Uses the kept index if it is there and describes this very zip; false: index it afresh. */
    private boolean readIndex(int source, Path zipPath, Path indexFile) throws IOException {
        if (!Files.isRegularFile(indexFile)) return false;
        long size = Files.size(indexFile);
        if (size > Integer.MAX_VALUE) return false;
        MappedByteBuffer buf;
        try (FileChannel ch = FileChannel.open(indexFile, StandardOpenOption.READ)) {
            buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
        int nl = 0;
        while (nl < size && buf.get(nl) != '\n') nl++;
        if (nl == size) return false;
        byte[] headerBytes = new byte[nl];
        buf.get(0, headerBytes);
        String header = new String(headerBytes, StandardCharsets.UTF_8);
        if (!header.startsWith(INDEX_MAGIC + " ")) return false;
        String[] h = header.substring(INDEX_MAGIC.length() + 1).split(" ");
        if (h.length != 4 || !(h[0] + " " + h[1]).equals(stamp(zipPath))) return false;
        try {
            int r = Integer.parseInt(h[2]);
            int w = Integer.parseInt(h[3]);
            records += r;
            withdrawn += w;
        } catch (NumberFormatException e) {
            return false;
        }
        // An index cut short (a full disk, a copy broken off) is indexed again rather than half trusted.
        if (buf.get((int) size - 1) != '\n') return false;
        keptIndexes.add(new SortedIndex(source, indexFile, buf, nl + 1));
        return true;
    }

    /**
     * A kept index: after its header, lines {@code ECOSYSTEM TAB NAME TAB ENTRY} sorted by the UTF-8 bytes of
     * {@code ECOSYSTEM TAB NAME}; a lookup is a binary search for the first line of a key.
     */
    private record SortedIndex(int source, Path file, MappedByteBuffer buf, int dataStart) {
        void lookup(String ecosystem, String name, List<Ref> out) {
            byte[] key = (ecosystem + "\t" + name).getBytes(StandardCharsets.UTF_8);
            int end = buf.limit();
            int lo = dataStart;
            int hi = end;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                int line = lineAtOrAfter(mid);
                if (line < hi && compareKey(line, key) < 0) lo = lineEnd(line) + 1;
                else hi = mid;
            }
            for (int line = lineAtOrAfter(lo); line < end && compareKey(line, key) == 0; line = lineEnd(line) + 1) {
                int entryStart = line + key.length + 1;
                if (lineEnd(line) <= entryStart || buf.get(entryStart - 1) != '\t') {
                    throw new AdvisoryFormatException(file + ": a damaged index line at byte " + line
                            + " (delete the file: the next scan indexes the archive again)");
                }
                byte[] entry = new byte[lineEnd(line) - entryStart];
                buf.get(entryStart, entry);
                Ref ref = new Ref(source, new String(entry, StandardCharsets.UTF_8));
                if (!out.contains(ref)) out.add(ref);
            }
        }

        private int lineAtOrAfter(int p) {
            if (p <= dataStart) return dataStart;
            int i = p;
            while (i < buf.limit() && buf.get(i - 1) != '\n') i++;
            return i;
        }

        private int lineEnd(int line) {
            int i = line;
            while (i < buf.limit() && buf.get(i) != '\n') i++;
            return i;
        }

        /** The line's key (up to its second tab) against {@code key}, byte by byte, unsigned. */
        private int compareKey(int line, byte[] key) {
            int tabs = 0;
            int i = line;
            int k = 0;
            while (i < buf.limit()) {
                byte b = buf.get(i);
                if (b == '\n') break;
                if (b == '\t' && ++tabs == 2) break;
                if (k == key.length) return 1;
                int c = Integer.compare(b & 0xff, key[k] & 0xff);
                if (c != 0) return c;
                i++;
                k++;
            }
            return k == key.length ? 0 : -1;
        }
    }

    /** Keeps the index beside the zip for the next run; a read-only database is indexed again next time, no more. */
    private static void writeIndex(Path zipPath, Path indexFile, List<String[]> rows, int records, int withdrawn) {
        for (String[] row : rows) {
            for (String s : row) if (s.indexOf('\t') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) return;
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile(indexFile.toAbsolutePath().getParent(), "." + indexFile.getFileName(), ".tmp");
            // Sorted by the UTF-8 bytes of the key, as the binary search of SortedIndex compares.
            record Line(byte[] key, String text) {}
            List<Line> lines = new ArrayList<>(rows.size());
            for (String[] row : rows) {
                lines.add(new Line(
                        (row[0] + "\t" + row[1]).getBytes(StandardCharsets.UTF_8),
                        row[0] + "\t" + row[1] + "\t" + row[2]));
            }
            lines.sort((a, b) -> {
                int c = Arrays.compareUnsigned(a.key, b.key);
                return c != 0 ? c : a.text.compareTo(b.text);
            });
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write(INDEX_MAGIC + " " + stamp(zipPath) + " " + records + " " + withdrawn + "\n");
                for (Line line : lines) w.write(line.text + "\n");
            }
            Files.move(tmp, indexFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // Not fatal: the database stays usable, only slower to open.
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (ZipFile z : zips) {
            try {
                z.close();
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        zips.clear();
        if (first != null) throw first;
    }
}
