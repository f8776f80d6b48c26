package dev.inlay.scanner.vuln;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
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
 * those it records), so a scan against hundreds of thousands of records reads the index and a handful of entries,
 * not the whole archive. Withdrawn records are left out of the index.
 */
public final class AdvisoryDatabase implements Closeable {
    static final String INDEX_SUFFIX = ".inlay-index";
    private static final String INDEX_MAGIC = "inlay-osv-index 1";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory JSON = MAPPER.getFactory();

    private record Ref(int source, String entry) {
    }

    private final Path root;
    private final List<ZipFile> zips = new ArrayList<>();
    /** Per source: a zip (index into zips) or a directory of JSON files (null). */
    private final List<Object> sources = new ArrayList<>();
    private final Map<String, List<Ref>> index = new HashMap<>();
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
        List<Ref> refs = index.get(key(ecosystem, name));
        if (refs == null) return List.of();
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
                throw new AdvisoryFormatException(zipPath + "!" + e.getName() + ": a damaged zip entry (" + ex.getMessage() + ")", ex);
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

    /** Loads the kept index if it is there and describes this very zip; false: index it afresh. */
    private boolean readIndex(int source, Path zipPath, Path indexFile) throws IOException {
        if (!Files.isRegularFile(indexFile)) return false;
        try (BufferedReader r = Files.newBufferedReader(indexFile, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null || !header.startsWith(INDEX_MAGIC + " ")) return false;
            String[] h = header.substring(INDEX_MAGIC.length() + 1).split(" ");
            if (h.length != 4 || !(h[0] + " " + h[1]).equals(stamp(zipPath))) return false;
            List<String[]> rows = new ArrayList<>();
            for (String line; (line = r.readLine()) != null; ) {
                String[] row = line.split("\t", -1);
                if (row.length != 3) return false;
                rows.add(row);
            }
            for (String[] row : rows) add(row[0], row[1], new Ref(source, row[2]));
            records += Integer.parseInt(h[2]);
            withdrawn += Integer.parseInt(h[3]);
            return true;
        } catch (NumberFormatException e) {
            return false;
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
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write(INDEX_MAGIC + " " + stamp(zipPath) + " " + records + " " + withdrawn + "\n");
                for (String[] row : rows) w.write(row[0] + "\t" + row[1] + "\t" + row[2] + "\n");
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
