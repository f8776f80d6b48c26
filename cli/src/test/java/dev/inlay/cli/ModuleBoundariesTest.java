package dev.inlay.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The module graph's two rules that the compiler alone does not keep, checked on the sources and poms of the whole
 * tree: the CLI is the composition root (no other module names {@code dev.inlay.cli} or depends on inlay-cli: library
 * code throws its own exceptions and the CLI alone maps them to exit codes), and {@code deploy} stands apart from
 * image code (no instrumenter, no Jib, no CLI in its sources or its pom).
 */
class ModuleBoundariesTest {
    private static final Path ROOT = Path.of(System.getenv().getOrDefault("INLAY_TEST_ROOT", ".."))
            .toAbsolutePath()
            .normalize();

    static List<String> modules() throws IOException {
        List<String> modules = new ArrayList<>();
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        while (m.find()) modules.add(m.group(1).trim());
        return modules;
    }

    /** Every line of the module's Java sources (main and test) that contains {@code needle}, as "file:line: text". */
    static List<String> mentions(String module, String needle) throws IOException {
        List<String> found = new ArrayList<>();
        Path src = ROOT.resolve(module).resolve("src");
        if (!Files.isDirectory(src)) return found;
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).contains(needle))
                        found.add(ROOT.relativize(f) + ":" + (i + 1) + ": "
                                + lines.get(i).trim());
                }
            }
        }
        return found;
    }

    static String pom(String module) throws IOException {
        return Files.readString(ROOT.resolve(module).resolve("pom.xml"));
    }

    @Test
    void theTreeIsFound() throws IOException {
        List<String> modules = modules();
        assertTrue(
                modules.contains("cli") && modules.contains("deploy") && modules.contains("instrumenter"),
                ROOT + ": " + modules);
        assertFalse(mentions("cli", "package dev.inlay.cli;").isEmpty(), "the check reads the sources it means to");
    }

    @Test
    void noModuleButTheCliNamesTheCliPackageOrDependsOnIt() throws IOException {
        List<String> found = new ArrayList<>();
        for (String module : modules()) {
            if (module.equals("cli")) continue;
            found.addAll(mentions(module, "dev.inlay.cli"));
            if (pom(module).contains("<artifactId>inlay-cli</artifactId>"))
                found.add(module + "/pom.xml depends on inlay-cli");
        }
        assertEquals(
                List.of(),
                found,
                "only the CLI may know the CLI: throw the module's own exception "
                        + "(an IllegalArgumentException for bad input, an IOException for I/O) and let cli map it");
    }

    @Test
    void deployKnowsNothingOfImages() throws IOException {
        List<String> found = new ArrayList<>();
        for (String needle :
                List.of("dev.inlay.instrumenter", "com.google.cloud.tools.jib", "dev.inlay.cli", "picocli")) {
            found.addAll(mentions("deploy", needle));
        }
        String pom = pom("deploy");
        for (String artifact : List.of("inlay-instrumenter", "inlay-cli", "jib-core", "picocli")) {
            if (pom.contains("<artifactId>" + artifact + "</artifactId>"))
                found.add("deploy/pom.xml depends on " + artifact);
        }
        assertEquals(List.of(), found, "deploy rewrites documents; image code lives in instrumenter");
    }
}
