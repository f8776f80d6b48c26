package dev.inlay.runtime.hooks;

import dev.inlay.agent.JvmOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hooked classes computed from the running JDK's lib/modules, as inlay wrap computes them from an image's JDK: the same
 * bytes ASM makes at run time, and used only where they cannot differ from them. That they hook every path in real
 * JVMs, on JDK 17 and 25, is CoverageIT's (hooks by PRECOMPUTED).
 */
class HookedClassesTest {
    private static final Path HOME = Path.of(System.getProperty("java.home"));
    private static final String FILE_INPUT_STREAM = "java/io/FileInputStream";

    private final Hooks table = new Hooks();

    @TempDir
    Path dir;

    private HookedClasses write(byte[]... sections) throws Exception {
        Path file = dir.resolve(HookedClasses.FILE);
        Files.write(file, concat(sections));
        return HookedClasses.load(dir.resolve("inlay-agent.jar").toFile(), table);
    }

    @Test
    void theRunningJdkGetsWhatAsmMakesForEveryHookedClassItHas() throws Exception {
        HookedClasses ready = write(HookedClassesWriter.compute(HOME.toString(), HOME));
        assertTrue(ready.coversStartup());
        int present = 0;
        for (Map.Entry<String, List<Hook>> e : table.byType().entrySet()) {
            byte[] original = jdkClass(e.getKey());
            if (original == null) continue;
            present++;
            byte[] asm = Injection.inject(original, e.getValue(), new ArrayList<>());
            assertArrayEquals(asm, ready.hooked(e.getKey(), original), e.getKey());
        }
        assertEquals(present, ready.size());
        assertTrue(present >= 20, "hooked types on this JDK: " + present);
    }

    @Test
    void aClassThatIsNotTheRecordedOneIsLeftToAsm() throws Exception {
        HookedClasses ready = write(HookedClassesWriter.compute(HOME.toString(), HOME));
        byte[] original = jdkClass(FILE_INPUT_STREAM);
        byte[] other = Arrays.copyOf(original, original.length);
        other[other.length - 1] ^= 1;
        assertNotNull(ready.hooked(FILE_INPUT_STREAM, original));
        assertNull(ready.hooked(FILE_INPUT_STREAM, other), "another agent changed it, or another JDK built it");
    }

    @Test
    void classesLoadedBeforeTheAgentTakeThemOnlyFromTheRecordedJdkAndAsTheOnlyAgent() throws Exception {
        HookedClasses ready = write(HookedClassesWriter.compute(HOME.toString(), HOME));
        assertNull(ready.hooked(FILE_INPUT_STREAM, null), "not until told it is the only agent");
        assertNull(ready.withSoleAgent(false).hooked(FILE_INPUT_STREAM, null), "another agent's changes would be lost");
        assertNotNull(ready.withSoleAgent(true).hooked(FILE_INPUT_STREAM, null));

        byte[] release = Files.readAllBytes(HOME.resolve("release"));
        long modules = Files.size(HOME.resolve("lib/modules"));
        byte[] otherRelease = (new String(release) + "PATCHED=1\n").getBytes();
        for (HookedClasses other : List.of(
                write(HookedClassesWriter.compute(HOME.toString(), otherRelease, modules, HookedClassesTest::jdkClass)),
                write(HookedClassesWriter.compute(
                        HOME.toString(), release, modules + 1, HookedClassesTest::jdkClass)))) {
            assertFalse(other.coversStartup());
            assertNull(other.withSoleAgent(true).hooked(FILE_INPUT_STREAM, null), "another build of this JDK");
            byte[] original = jdkClass(FILE_INPUT_STREAM);
            assertNotNull(other.hooked(FILE_INPUT_STREAM, original), "a class being defined is compared byte for byte");
        }
    }

    /**
     * Precomputed bytes replace a retransformed class only during the agent's own startup; afterwards a class being
     * redefined or retransformed comes with someone else's bytes, and ASM hooks what it is given.
     */
    @Test
    void afterStartupARedefinedClassIsHookedAsGivenNotReplaced() throws Exception {
        HookedClasses ready =
                write(HookedClassesWriter.compute(HOME.toString(), HOME)).withSoleAgent(true);
        List<Hook> hooks = table.byType().get(FILE_INPUT_STREAM);
        EntryCalls injector = new EntryCalls(
                table.byType(), ready, new java.util.concurrent.atomic.AtomicInteger(), (type, problem) -> {});
        byte[] precomputed = ready.hooked(FILE_INPUT_STREAM, jdkClass(FILE_INPUT_STREAM));
        // Someone else's version of the class: here, one already hooked.
        byte[] theirs = Injection.inject(jdkClass(FILE_INPUT_STREAM), hooks, new ArrayList<>());
        Class<?> redefined = java.io.FileInputStream.class;
        assertArrayEquals(
                precomputed,
                injector.transform(null, FILE_INPUT_STREAM, redefined, null, theirs),
                "during the agent's own retransformation");
        injector.startupRetransformed();
        byte[] after = injector.transform(null, FILE_INPUT_STREAM, redefined, null, theirs);
        assertArrayEquals(Injection.inject(theirs, hooks, new ArrayList<>()), after);
        assertFalse(Arrays.equals(precomputed, after), "their bytes kept, hooked as they are");
    }

    @Test
    void theSectionOfThisJavaHomeIsFoundAmongOthers() throws Exception {
        byte[] elsewhere = HookedClassesWriter.compute("/opt/another-jdk", HOME);
        assertEquals(0, write(elsewhere).size(), "no section for this java.home");
        HookedClasses ready = write(elsewhere, HookedClassesWriter.compute(HOME.toString(), HOME));
        assertTrue(ready.coversStartup());
    }

    @Test
    void aMissingOrDamagedFileMeansAsm() throws Exception {
        assertEquals(
                0,
                HookedClasses.load(dir.resolve("inlay-agent.jar").toFile(), table)
                        .size(),
                "no file");
        byte[] section = HookedClassesWriter.compute(HOME.toString(), HOME);
        for (int cut : new int[] {3, 100, section.length / 2, section.length - 1}) {
            HookedClasses damaged = write(Arrays.copyOf(section, cut));
            assertEquals(0, damaged.size(), "cut at " + cut);
            assertFalse(damaged.coversStartup());
        }
        byte[] wrongMagic = section.clone();
        wrongMagic[0] ^= 1;
        assertEquals(0, write(wrongMagic).size());
    }

    @Test
    void anotherHookTableIsNotUsed() throws Exception {
        byte[] section = HookedClassesWriter.compute(HOME.toString(), HOME);
        section[8 + 7] ^= 1; // the fingerprint follows magic and format
        assertEquals(0, write(section).size());
    }

    private static byte[] jdkClass(String type) {
        Class<?> c;
        try {
            c = Class.forName(type.replace('/', '.'), false, null);
        } catch (ClassNotFoundException e) {
            return null; // a type this JDK does not have
        }
        try (var in = c.getModule().getResourceAsStream(type + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    @Test
    void theAgentIsAloneOnlyWhenNothingElseCanNameAnAgent() {
        String inlay = "-javaagent:/opt/inlay/inlay-agent.jar";
        String java = "/usr/bin/java\0-cp\0app.jar\0Main\0";
        assertTrue(sole(java, Map.of("JAVA_TOOL_OPTIONS", inlay)));
        assertTrue(sole("/usr/bin/java\0" + inlay + "\0-jar\0app.jar\0", Map.of()));
        assertFalse(sole(java, Map.of()), "no agent seen: something else named it");
        assertFalse(sole("/usr/bin/java\0-javaagent:otel.jar\0-jar\0app.jar\0", Map.of("JAVA_TOOL_OPTIONS", inlay)));
        for (String other : List.of(
                "-agentlib:jdwp=transport=dt_socket", "-agentpath:/x/libprof.so", "-Xrunhprof", "-javaagent:dd.jar")) {
            assertFalse(sole(java, Map.of("JAVA_TOOL_OPTIONS", inlay + " " + other)), other);
            assertFalse(sole(java, Map.of("JAVA_TOOL_OPTIONS", inlay, "_JAVA_OPTIONS", other)), other);
            assertFalse(sole(java, Map.of("JAVA_TOOL_OPTIONS", inlay, "JDK_JAVA_OPTIONS", other)), other);
        }
        // Options the agent cannot read itself: another agent may be in them.
        for (String unseen : List.of("@/etc/java-options", "-XX:Flags=/etc/hotspotrc", "-XX:VMOptionsFile=/x")) {
            assertFalse(
                    sole("/usr/bin/java\0" + unseen + "\0-jar\0app.jar\0", Map.of("JAVA_TOOL_OPTIONS", inlay)), unseen);
        }
    }

    private static boolean sole(String commandLine, Map<String, String> env) {
        return HookedClasses.soleAgent(JvmOptions.of(commandLine, env));
    }
}
