package dev.inlay.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaselineTest {
    @TempDir
    Path dir;

    @Test
    void aSymbolicLinkIsJudgedByTheFileItRunsAndChangesAreDrift() throws Exception {
        Path dash = Files.writeString(dir.resolve("dash"), "#!fake shell\n");
        Path sh = Files.createSymbolicLink(dir.resolve("sh"), dash);
        Path stray = Files.writeString(dir.resolve("stray"), "not in the image\n");
        Path baselineFile = Files.writeString(
                dir.resolve("baseline.tsv"), Baseline.sha256(dash) + "\t" + Files.size(dash) + "\t" + dash + "\n");
        Baseline baseline = Baseline.load(baselineFile);
        assertFalse(baseline.drifted(dash.toString()));
        assertFalse(baseline.drifted(sh.toString()), "a link to a baseline file is not drift");
        assertTrue(baseline.drifted(stray.toString()));
        assertTrue(baseline.drifted(dir.resolve("missing").toString()));
        Files.writeString(dash, "#!fake shell, replaced\n");
        assertTrue(baseline.drifted(dash.toString()), "a changed file is drift");
        assertTrue(baseline.drifted(sh.toString()), "and so is a link to it");
    }
}
