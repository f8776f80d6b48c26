package dev.inlay.scanner.vuln;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdvisoryDatabaseTest {
    private static List<String> ids(AdvisoryDatabase db, String ecosystem, String name) throws Exception {
        return db.advisories(ecosystem, name).stream()
                .map(OsvRecord::id)
                .sorted()
                .toList();
    }

    @Test
    void aDirectoryIsIndexedByEcosystemAndPackage() throws Exception {
        try (AdvisoryDatabase db = AdvisoryDatabase.open(Fixtures.osvDirectory())) {
            assertEquals(
                    List.of(
                            "CVE-2021-44228",
                            "GHSA-7rjr-3q55-vv33",
                            "GHSA-8489-44mv-ggj8",
                            "GHSA-jfh8-c2jp-5v3q",
                            "GHSA-p6xc-xr62-6r2g"),
                    ids(db, "Maven", "org.apache.logging.log4j:log4j-core"));
            assertEquals(List.of("DEBIAN-CVE-2023-4911"), ids(db, "Debian:12", "glibc"));
            assertEquals(List.of(), ids(db, "Debian:11", "glibc"));
            assertEquals(List.of(), ids(db, "Maven", "org.apache.logging.log4j:log4j-api"));
            assertEquals(7, db.size());
            assertEquals(1, db.withdrawn());
        }
    }

    @Test
    void aZipIsIndexedOnceAndTheIndexKeptBesideIt(@TempDir Path tmp) throws Exception {
        Path zip = Fixtures.zipOf(Fixtures.osvDirectory(), tmp.resolve("all.zip"));
        Path index = tmp.resolve("all.zip.inlay-index");
        try (AdvisoryDatabase db = AdvisoryDatabase.open(zip)) {
            assertEquals(List.of("GHSA-fjq5-5j5f-mvxh"), ids(db, "Maven", "commons-collections:commons-collections"));
        }
        assertTrue(Files.isRegularFile(index));
        String kept = Files.readString(index);
        assertTrue(kept.startsWith("inlay-osv-index 2 " + Files.size(zip) + " "), kept);
        assertTrue(kept.contains("Debian:12\tglibc\tDEBIAN-CVE-2023-4911.json\n"), kept);
        // The kept index is what a second open reads: an entry only it names proves it.
        List<String> lines = new java.util.ArrayList<>(kept.lines().toList());
        lines.add("Maven\tonly:in-the-index\tGHSA-fjq5-5j5f-mvxh.json");
        java.util.Collections.sort(lines.subList(1, lines.size()));
        Files.writeString(index, String.join("\n", lines) + "\n");
        try (AdvisoryDatabase db = AdvisoryDatabase.open(zip)) {
            assertEquals(List.of("GHSA-fjq5-5j5f-mvxh"), ids(db, "Maven", "only:in-the-index"));
            assertEquals(7, db.size());
            // The binary search finds the first key, the last, one with several lines, and no near miss.
            assertEquals(List.of("DEBIAN-CVE-2023-4911"), ids(db, "Debian:12", "glibc"));
            assertEquals(
                    5, ids(db, "Maven", "org.apache.logging.log4j:log4j-core").size());
            assertEquals(List.of("GHSA-fjq5-5j5f-mvxh"), ids(db, "Maven", "commons-collections:commons-collections"));
            assertEquals(List.of(), ids(db, "Maven", "commons-collections:commons-collection"));
            assertEquals(List.of(), ids(db, "Maven", "commons-collections:commons-collections4"));
            assertEquals(List.of(), ids(db, "Debian:1", "glibc"));
            assertEquals(List.of(), ids(db, "Maven", "zzz"));
            assertEquals(List.of(), ids(db, "A", "a"));
        }
        // A damaged line is bad input naming the index, not a crash; an index cut short is rebuilt.
        String header = kept.substring(0, kept.indexOf('\n') + 1);
        Files.writeString(index, header + "Maven\tcommons-collections:commons-collections\n");
        try (AdvisoryDatabase db = AdvisoryDatabase.open(zip)) {
            AdvisoryFormatException e = assertThrows(
                    AdvisoryFormatException.class,
                    () -> db.advisories("Maven", "commons-collections:commons-collections"));
            assertTrue(e.getMessage().startsWith(index + ": a damaged index line"), e.getMessage());
        }
        Files.writeString(index, kept.substring(0, kept.length() - 3));
        try (AdvisoryDatabase db = AdvisoryDatabase.open(zip)) {
            assertEquals(List.of("GHSA-fjq5-5j5f-mvxh"), ids(db, "Maven", "commons-collections:commons-collections"));
        }
        assertEquals(kept, Files.readString(index));
        Files.writeString(index, kept);
        // A zip that changed (here: its time) makes the index stale: it is rebuilt from the zip.
        Files.setLastModifiedTime(
                zip, FileTime.fromMillis(Files.getLastModifiedTime(zip).toMillis() + 5000));
        try (AdvisoryDatabase db = AdvisoryDatabase.open(zip)) {
            assertEquals(List.of(), ids(db, "Maven", "only:in-the-index"));
        }
        assertTrue(!Files.readString(index).contains("only:in-the-index"));
    }

    @Test
    void aDirectoryOfZipsAsDbFetchLaysItOut(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("Maven"));
        Files.createDirectories(tmp.resolve("Debian:12"));
        Fixtures.zipOf(Fixtures.osvDirectory().resolve("maven"), tmp.resolve("Maven/all.zip"));
        Fixtures.zipOf(Fixtures.osvDirectory().resolve("debian"), tmp.resolve("Debian:12/all.zip"));
        try (AdvisoryDatabase db = AdvisoryDatabase.open(tmp)) {
            assertEquals(7, db.size());
            assertEquals(List.of("DEBIAN-CVE-2023-4911"), ids(db, "Debian:12", "glibc"));
        }
    }

    @Test
    void badDatabasesAreBadInputNamingTheRecord(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("broken.json"), "{\"id\": \"X-1\", \"affected\": [");
        AdvisoryFormatException e = assertThrows(AdvisoryFormatException.class, () -> AdvisoryDatabase.open(tmp));
        assertTrue(e.getMessage().contains("broken.json: not valid JSON"), e.getMessage());

        Files.writeString(tmp.resolve("broken.json"), "{\"affected\": []}");
        e = assertThrows(AdvisoryFormatException.class, () -> AdvisoryDatabase.open(tmp));
        assertTrue(e.getMessage().endsWith("broken.json: 'id' is missing"), e.getMessage());

        Files.writeString(
                tmp.resolve("broken.json"),
                "{\"id\":\"X-1\",\"affected\":[{\"package\":{\"ecosystem\":\"Maven\",\"name\":\"a:b\"},"
                        + "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\",\"fixed\":\"1\"}]}]}]}");
        try (AdvisoryDatabase db = AdvisoryDatabase.open(tmp)) {
            e = assertThrows(AdvisoryFormatException.class, () -> db.advisories("Maven", "a:b"));
            assertTrue(e.getMessage().contains("exactly one of introduced"), e.getMessage());
        }

        Path notZip = Files.writeString(tmp.resolve("all.zip"), "<html>not found</html>");
        e = assertThrows(AdvisoryFormatException.class, () -> AdvisoryDatabase.open(notZip));
        assertTrue(e.getMessage().contains("not a zip archive"), e.getMessage());

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThrows(AdvisoryFormatException.class, () -> AdvisoryDatabase.open(empty));
        assertThrows(NoSuchFileException.class, () -> AdvisoryDatabase.open(tmp.resolve("missing")));
    }
}
