package dev.inlay.instrumenter;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile images: a docker archive whose layer holds fuzzed entries (names, link targets, types, contents) and,
 * sometimes, a fuzzed manifest or config. Wrapping either succeeds or ends with exit code 3 and a message, never a
 * stack trace, and nothing is written outside the work directory. Runs its saved inputs in every build;
 * scripts/fuzz.sh fuzzes for a bounded time.
 */
class ArchiveReaderFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void wrapHostileDockerArchive(FuzzedDataProvider data) throws IOException {
        Path work = Files.createTempDirectory("inlay-fuzz-");
        Path sentinelDir = work.resolve("inside");
        Files.createDirectories(sentinelDir);
        try {
            TestImages.LayerBuilder layer = new TestImages.LayerBuilder();
            int entries = data.consumeInt(0, 6);
            for (int i = 0; i < entries; i++) {
                String name = data.consumeString(40);
                if (name.isEmpty()) continue;
                switch (data.consumeInt(0, 3)) {
                    case 0 -> layer.file(name, data.consumeBytes(64), 0755);
                    case 1 -> layer.dir(name);
                    case 2 -> layer.symlink(name, data.consumeString(40));
                    default -> layer.hardlink(name, data.consumeString(40));
                }
            }
            byte[] fuzzedLayer = layer.build();
            byte[] jvm = TestImages.jvmLayer("/opt/java", "17.0.9");
            var config = TestImages.config("amd64", List.of(jvm, fuzzedLayer), c -> {});
            Path archive = sentinelDir.resolve("in.tar");
            TestImages.dockerArchive(archive, "fuzz:1", List.of(jvm, fuzzedLayer), config);
            if (data.consumeBoolean()) {
                // Replace the manifest with fuzzed text: the reader must refuse it cleanly.
                byte[] manifest = data.consumeRemainingAsString().getBytes(StandardCharsets.UTF_8);
                Path other = sentinelDir.resolve("in2.tar");
                try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                        Files.newOutputStream(other))) {
                    TestImages.put(tar, "manifest.json", manifest);
                }
                archive = other;
            }
            Path out = sentinelDir.resolve("out");
            Cli.Result r =
                    Cli.run("wrap", "docker-archive:" + archive, "oci:" + out, "--mode", "learn", "-q", "--force");
            assertTrue(r.exitCode() == 0 || r.exitCode() == 3, r.toString());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
            try (Stream<Path> s = Files.list(work)) {
                assertTrue(s.allMatch(p -> p.equals(sentinelDir)), "nothing written next to the work directory");
            }
        } finally {
            try (Stream<Path> s = Files.walk(work)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
