package dev.inlay.profiler.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlay.cli.profiler.ProfileCommand;
import dev.inlay.profiler.CliRun;
import dev.inlay.profiler.Docs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.inlay.profiler.Docs.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code inlay profile merge} through the command line: the files it reads and writes, its exit codes. */
class MergeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void mergeCommandReadsDirectoriesRecursivelyAndWritesTheOutputFile() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("profiles/web-1"));
        Files.writeString(sub.resolve("inlay-profile-r1.jsonl"), Docs.simple(1, file("read", "/a")) + "\n");
        Files.writeString(dir.resolve("profiles/kubectl.log"), "hello\n" + Docs.simple(2, file("write", "/b")) + "\n");
        Path out = dir.resolve("merged.json");
        CliRun r = CliRun.run(
                new ProfileCommand(), "merge", dir.resolve("profiles").toString(), "-o", out.toString());
        assertEquals(0, r.code(), r.toString());
        JsonNode doc = JSON.readTree(Files.readString(out));
        assertEquals(2, doc.path("documents").asInt());
        assertEquals(2, doc.path("behaviors").size());
        assertTrue(r.err().contains("1 other lines"), r.err());
    }

    @Test
    void mergeCommandExitCodes() throws IOException {
        Path empty = Files.writeString(dir.resolve("app.log"), "just the application's log\n");
        CliRun none = CliRun.run(new ProfileCommand(), "merge", empty.toString());
        assertEquals(3, none.code(), none.toString());
        assertTrue(none.err().contains("no inlay profile documents"), none.err());
        CliRun missing = CliRun.run(
                new ProfileCommand(), "merge", dir.resolve("nope.jsonl").toString());
        assertEquals(4, missing.code(), missing.toString());
        assertEquals(0, CliRun.run(new ProfileCommand(), "merge", "--help").code());
        assertEquals(0, CliRun.run(new ProfileCommand(), "--help").code());
    }

    @Test
    void aLineOf80MegabytesIsBadInputNamingFileAndLineNotAnOutOfMemoryError() throws IOException {
        Path log = dir.resolve("huge.log");
        try (java.io.Writer w = Files.newBufferedWriter(log)) {
            w.write(Docs.simple(1, file("read", "/a")) + "\n{\"inlay\":\"profile\",\"x\":\"");
            char[] mega = new char[1 << 20];
            java.util.Arrays.fill(mega, 'x');
            for (int i = 0; i < 80; i++) w.write(mega); // over the 64 Mi limit as surely as 200 MB, in less time
            w.write("\"}\n" + Docs.simple(2, file("read", "/b")) + "\n");
        }
        CliRun r = CliRun.run(new ProfileCommand(), "merge", log.toString());
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().startsWith("inlay: " + log + ":2: a line longer than 67108864 characters"), r.err());
        org.junit.jupiter.api.Assertions.assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }
}
