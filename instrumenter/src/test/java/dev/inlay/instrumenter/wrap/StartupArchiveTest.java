package dev.inlay.instrumenter.wrap;

import dev.inlay.instrumenter.BadInputException;
import dev.inlay.instrumenter.TestImages;
import dev.inlay.instrumenter.image.Image;
import dev.inlay.instrumenter.image.Layer;
import dev.inlay.model.AgentFlag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What --startup-archive refuses before it runs anything, and the JDK copy it runs the image's JVM from. */
class StartupArchiveTest {
    @TempDir
    Path tmp;

    private BadInputException refusal(Image image) throws IOException {
        ImageFilesystem fs = ImageFilesystem.scan(image.layers());
        return assertThrows(
                BadInputException.class,
                () -> StartupArchive.forImage(image, fs, new byte[] {1}, AgentFlag.AGENTLIB, tmp));
    }

    @Test
    void aJdkBefore23IsRefused() throws IOException {
        BadInputException e = refusal(TestImages.image(List.of(TestImages.jvmLayer("/opt/jdk", "21.0.5")), null));
        assertTrue(
                e.getMessage().contains("is Java 21.0.5") && e.getMessage().contains("needs JDK 23 or later"),
                e.getMessage());
    }

    @Test
    void aJvmWithoutAReleaseFileIsRefused() throws IOException {
        byte[] bare = new TestImages.LayerBuilder()
                .file("opt/jdk/bin/java", "\u007fELF", 0755)
                .build();
        BadInputException e = refusal(TestImages.image(List.of(bare), null));
        assertTrue(e.getMessage().contains("has no release file"), e.getMessage());
    }

    @Test
    void twoJvmsAreRefused() throws IOException {
        byte[] second = new TestImages.LayerBuilder()
                .file("usr/lib/jvm/other/bin/java", "\u007fELF", 0755)
                .file("usr/lib/jvm/other/release", "JAVA_VERSION=\"25\"\n", 0644)
                .build();
        BadInputException e =
                refusal(TestImages.image(List.of(TestImages.jvmLayer("/opt/jdk", "25.0.1"), second), null));
        assertTrue(e.getMessage().contains("has 2 JVMs"), e.getMessage());
    }

    @Test
    void optionsThatWouldNotUseTheArchiveAreRefusedWithWhereTheyAre() throws IOException {
        byte[] jvm = TestImages.jvmLayer("/opt/jdk", "25.0.1");
        BadInputException aot = refusal(TestImages.image(
                List.of(jvm),
                c -> c.with("config")
                        .putArray("Entrypoint")
                        .add("java")
                        .add("-XX:AOTCache=/app/app.aot")
                        .add("-jar")
                        .add("/app/app.jar")));
        assertTrue(aot.getMessage().contains("the entrypoint and cmd sets -XX:AOTCache"), aot.getMessage());
        assertTrue(aot.getMessage().contains("would not start"), aot.getMessage());

        BadInputException addModules = refusal(TestImages.image(
                List.of(jvm),
                c -> c.with("config").withArray("Env").add("JAVA_OPTS=--add-modules jdk.incubator.vector")));
        assertTrue(
                addModules.getMessage().contains("the environment variable JAVA_OPTS sets --add-modules"),
                addModules.getMessage());

        byte[] script = new TestImages.LayerBuilder()
                .file("entrypoint.sh", "#!/bin/sh\nexec java -Xshare:off -jar /app.jar\n", 0755)
                .build();
        BadInputException share = refusal(TestImages.image(
                List.of(jvm, script),
                c -> c.with("config").putArray("Entrypoint").add("/entrypoint.sh")));
        assertTrue(share.getMessage().contains("the script /entrypoint.sh sets -Xshare:off"), share.getMessage());
    }

    @Test
    void theMajorVersionOfAReleaseFile() {
        assertEquals(25, StartupArchive.featureVersion("25.0.1"));
        assertEquals(23, StartupArchive.featureVersion("23"));
        assertEquals(17, StartupArchive.featureVersion("17.0.12"));
        assertEquals(8, StartupArchive.featureVersion("1.8.0_392"));
        assertEquals(-1, StartupArchive.featureVersion("unknown"));
    }

    @Test
    void theClassListKeepsTheJdksClassesAndFormsButNotTheAgentsOrAnApplications() {
        List<String> lines = StartupArchive.classListLines(List.of(
                "# NOTE: Do not modify this file.",
                "java/lang/Object id: 0",
                "java/util/HashMap",
                "dev/inlay/agent/InlayAgent id: 700",
                "com/example/App id: 701 super: 0 source: /app/app.jar",
                "@lambda-form-invoker [LF_RESOLVE] java.lang.invoke.DirectMethodHandle$Holder invokeStatic L3_V",
                "@lambda-proxy com/example/App run ()Ljava/lang/Runnable; ...",
                ""));
        assertEquals(
                List.of(
                        "java/lang/Object",
                        "java/util/HashMap",
                        "@lambda-form-invoker [LF_RESOLVE] java.lang.invoke.DirectMethodHandle$Holder invokeStatic L3_V"),
                lines);
    }

    /**
     * The copy holds the Java home and what its links lead to (Debian links jvm.cfg to /etc), absolute targets kept
     * inside the copy, and applies whiteouts and opaque directories to lower layers only.
     */
    @Test
    void theJdkIsCopiedWithWhatItsLinksLeadToAndWhiteoutsApplied() throws IOException {
        byte[] base = new TestImages.LayerBuilder()
                .file("etc/jdk/jvm.cfg", "-server KNOWN\n", 0644)
                .file("etc/unrelated", "not copied", 0644)
                .file("usr/lib/jdk/bin/java", "\u007fELF java", 0755)
                .file("usr/lib/jdk/release", "JAVA_VERSION=\"25\"\n", 0644)
                .symlink("usr/lib/jdk/lib/jvm.cfg", "/etc/jdk/jvm.cfg")
                .file("usr/lib/jdk/lib/old.so", "old", 0644)
                .file("usr/lib/jdk/conf/a", "a", 0644)
                .file("usr/lib/jdk/conf/b", "b", 0644)
                .build();
        byte[] top = new TestImages.LayerBuilder()
                .file("usr/lib/jdk/lib/.wh.old.so", new byte[0], 0644)
                .file("usr/lib/jdk/conf/.wh..wh..opq", new byte[0], 0644)
                .file("usr/lib/jdk/conf/c", "c", 0644)
                .build();
        List<Layer> layers = TestImages.layers(List.of(base, top));
        ImageFilesystem fs = ImageFilesystem.scan(layers);
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path java = JdkCopy.copy(layers, fs, fs.jvms().get(0), root);

        assertEquals(root.resolve("usr/lib/jdk/bin/java"), java);
        assertTrue(Files.isExecutable(java));
        assertEquals("-server KNOWN\n", Files.readString(root.resolve("usr/lib/jdk/lib/jvm.cfg")));
        assertEquals(root.resolve("etc/jdk/jvm.cfg"), Files.readSymbolicLink(root.resolve("usr/lib/jdk/lib/jvm.cfg")));
        assertFalse(Files.exists(root.resolve("etc/unrelated")));
        assertFalse(Files.exists(root.resolve("usr/lib/jdk/lib/old.so"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(root.resolve("usr/lib/jdk/conf/a")));
        assertFalse(Files.exists(root.resolve("usr/lib/jdk/conf/b")));
        assertEquals("c", Files.readString(root.resolve("usr/lib/jdk/conf/c")));
    }

    /**
     * A hostile image's links cannot make the copy write, or a whiteout delete, outside the copy: a relative link that
     * climbs out and an absolute one ("/.." is the root) are followed by entries under them.
     */
    @Test
    void linksThatLeadOutOfTheCopyAreRefusedAndNothingOutsideIsTouched() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("victim"), "keep");
        Path root = Files.createDirectories(tmp.resolve("root"));
        for (String[] attack : List.of(
                new String[] {"usr/lib/jdk/lib/escape", "../../../../../../../../../../.." + outside},
                new String[] {"usr/lib/jdk/lib/escape", "/../../../../../.." + outside})) {
            byte[] jdk = new TestImages.LayerBuilder()
                    .file("usr/lib/jdk/bin/java", "\u007fELF java", 0755)
                    .file("usr/lib/jdk/release", "JAVA_VERSION=\"25\"\n", 0644)
                    .symlink(attack[0], attack[1])
                    .build();
            byte[] write = new TestImages.LayerBuilder()
                    .file(attack[0] + "/planted", "x", 0644)
                    .build();
            byte[] delete = new TestImages.LayerBuilder()
                    .file(attack[0] + "/.wh.victim", new byte[0], 0644)
                    .build();
            for (byte[] top : List.of(write, delete)) {
                List<Layer> layers = TestImages.layers(List.of(jdk, top));
                ImageFilesystem fs = ImageFilesystem.scan(layers);
                Path copy = Files.createTempDirectory(root, "copy");
                try {
                    JdkCopy.copy(layers, fs, fs.jvms().get(0), copy);
                } catch (dev.inlay.instrumenter.image.MalformedImageException refused) {
                    assertTrue(refused.getMessage().contains("leads out of the image's root"), refused.getMessage());
                }
                assertFalse(Files.exists(outside.resolve("planted")), attack[1]);
                assertEquals("keep", Files.readString(outside.resolve("victim")), attack[1]);
            }
        }
    }
}
