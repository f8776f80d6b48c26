package dev.inlay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlay.instrumenter.Cli;
import dev.inlay.instrumenter.TestImages;
import dev.inlay.instrumenter.image.Layer;
import dev.inlay.instrumenter.transport.Progress;
import dev.inlay.instrumenter.wrap.ImageFilesystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --json} on wrap, inspect, policy lint, profile stats and deploy, in the shapes docs/CLI.md shows; progress. */
class JsonOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path image() throws Exception {
        List<byte[]> layers = List.of(
                TestImages.jvmLayer("/opt/jdk", "17.0.12"),
                new TestImages.LayerBuilder().file("app/app.jar", "jar", 0644).build());
        Path dir = tmp.resolve("src");
        TestImages.ociLayout(dir, "v1", layers, TestImages.config("amd64", layers, null));
        return dir;
    }

    @Test
    void wrapAndInspect() throws Exception {
        Path src = image();
        Path out = tmp.resolve("out");
        Cli.Result wrap = Cli.run("wrap", "oci:" + src + ":v1", "oci:" + out + ":w", "--mode", "learn", "--json");
        assertEquals(0, wrap.exitCode(), wrap.toString());
        JsonNode w = JSON.readTree(wrap.out());
        assertEquals("oci:" + out + ":w", w.get("reference").asText());
        assertTrue(w.get("digest").asText().startsWith("sha256:"), wrap.out());
        assertEquals("learn", w.get("mode").asText());
        JsonNode p = w.get("platforms").get(0);
        assertEquals("linux/amd64", p.get("platform").asText());
        assertEquals(3, p.get("layers").asInt());
        assertTrue(p.get("inlayLayerDigest").asText().startsWith("sha256:"));
        assertEquals(
                3,
                w.get("transfer").get("blobsCopied").asInt()
                        + w.get("transfer").get("blobsMountedOrLinked").asInt(),
                wrap.out());
        // not a terminal: no progress lines, only the summary
        assertFalse(wrap.err().contains("\r"), wrap.err());
        assertFalse(wrap.err().contains("scanning"), wrap.err());

        Cli.Result inspect = Cli.run("inspect", "oci:" + out + ":w", "--json");
        assertEquals(0, inspect.exitCode(), inspect.toString());
        JsonNode i = JSON.readTree(inspect.out());
        assertEquals(w.get("digest").asText(), i.get("digest").asText());
        JsonNode ip = i.get("platforms").get(0);
        assertTrue(ip.get("wrapped").asBoolean());
        assertEquals("learn", ip.get("mode").asText());
        assertEquals("/opt/jdk/bin/java", ip.get("jvms").get(0).get("java").asText());
        assertEquals("17.0.12", ip.get("jvms").get(0).get("version").asText());
        assertTrue(ip.get("command").isArray());
        assertEquals("", inspect.err(), "not a terminal: nothing on stderr");
    }

    @Test
    void policyLintAndProfileStats() throws Exception {
        Path policy = Files.writeString(
                tmp.resolve("p.yaml"),
                "apiVersion: inlay.dev/v1\nkind: Policy\nmetadata: {name: p}\n"
                        + "spec:\n  mode: enforce\n  files:\n    - id: everything\n      action: allow\n"
                        + "      operations: [read]\n      paths:\n        - \"/**\"\n");
        Cli.Result lint = Cli.run("policy", "lint", policy.toString(), "--json");
        assertEquals(1, lint.exitCode(), lint.toString());
        JsonNode l = JSON.readTree(lint.out());
        assertEquals(policy.toString(), l.get("policy").asText());
        assertTrue(l.get("count").asInt() >= 1, lint.out());
        assertEquals("broad", l.get("findings").get(0).get("kind").asText(), lint.out());
        assertEquals("everything", l.get("findings").get(0).get("rule").asText(), lint.out());

        Path profile = Files.writeString(
                tmp.resolve("p.jsonl"),
                "{\"inlay\":\"profile\",\"schema\":1,\"agent\":\"0.1.0\","
                        + "\"run\":\"r1\",\"seq\":0,\"chunk\":0,\"chunks\":1,\"replica\":\"web-1\",\"started\":\"2026-11-23T17:00:00.000Z\","
                        + "\"written\":\"2026-11-23T17:02:00.000Z\",\"final\":false,\"workload\":{\"hostname\":\"web-1\"},"
                        + "\"behaviors\":[{\"category\":\"file\",\"operation\":\"read\",\"resource\":\"/a\",\"count\":1,"
                        + "\"first\":\"2026-11-23T17:01:00.000Z\",\"last\":\"2026-11-23T17:01:00.000Z\"}]}\n");
        Cli.Result stats = Cli.run("profile", "stats", profile.toString(), "--json", "--min-runs", "2");
        JsonNode s = JSON.readTree(stats.out());
        assertEquals(1, stats.exitCode(), stats.toString());
        assertEquals(1, s.get("runs").asInt(), stats.out());
        assertEquals("1 runs, required 2", s.get("notMet").get(0).asText());
    }

    @Test
    void onATerminalTheLayerScanShowsProgress() throws Exception {
        byte[] layer = TestImages.jvmLayer("/opt/jdk", "17.0.12");
        byte[] gz = TestImages.gzip(layer);
        Layer l = Layer.of(
                "application/vnd.oci.image.layer.v1.tar+gzip",
                dev.inlay.instrumenter.image.Digests.of(gz),
                gz.length,
                dev.inlay.instrumenter.image.Digests.of(layer),
                () -> new java.io.ByteArrayInputStream(gz));
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        ImageFilesystem fs =
                ImageFilesystem.scan(List.of(l), Progress.to(new PrintStream(terminal, true, StandardCharsets.UTF_8)));
        assertEquals(1, fs.jvms().size());
        String shown = terminal.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("\rscanning layer 1/1 "), shown);
        assertTrue(shown.contains(" done\n"), shown);
        ByteArrayOutputStream none = new ByteArrayOutputStream();
        ImageFilesystem.scan(List.of(l), Progress.SILENT);
        assertEquals(0, none.size());
    }

    /**
     * The real CLI in a real terminal (script(1) gives it a pseudo-terminal, so System.console() is not null): the
     * layer scan, the blob copy and the packing of the archive show progress. The same command in a pipe shows none.
     */
    @Test
    void progressOnATerminalAndNoneInAPipe() throws Exception {
        dev.inlay.instrumenter.Cli.requireTool(dev.inlay.instrumenter.Cli.onPath("script"), "script (util-linux)");
        Path src = image();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = java + " -cp " + System.getProperty("java.class.path") + " dev.inlay.cli.Inlay wrap oci:" + src
                + ":v1 oci-archive:" + tmp.resolve("tty.tar") + " --mode learn";
        String terminal = run(List.of("script", "-qec", command, "/dev/null"));
        assertTrue(terminal.contains("\rscanning layer 1/2 "), terminal);
        assertTrue(terminal.contains("\rpacking tty.tar "), terminal);
        assertTrue(terminal.contains("inlay: wrapped "), terminal);
        String pipe = run(List.of("sh", "-c", command.replace("tty.tar", "pipe.tar") + " 2>&1 | cat"));
        assertFalse(pipe.contains("\r"), pipe);
        assertFalse(pipe.contains("scanning"), pipe);
        assertTrue(pipe.contains("inlay: wrapped "), pipe);
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void deployReportAndDocument() throws Exception {
        String task = Path.of(JsonOutputTest.class
                        .getResource("/deploy/fargate-orders.json")
                        .toURI())
                .toString();
        Cli.Result r = Cli.run(
                "deploy",
                "fargate",
                task,
                "--suffix",
                "-inlay",
                "--skip-container",
                "log-router",
                "--mode",
                "monitor",
                "--json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode d = JSON.readTree(r.out());
        assertEquals("fargate", d.get("platform").asText());
        assertEquals("wrapped", d.get("containers").get(0).get("status").asText());
        assertTrue(d.get("containers").get(0).get("imageAfter").asText().endsWith("-inlay"));
        assertEquals(1, d.get("counts").get("wrapped").asInt());
        assertTrue(JSON.readTree(d.get("document").asText())
                .at("/containerDefinitions/0/image")
                .asText()
                .endsWith("-inlay"));
        assertEquals("", r.err());
        Path out = tmp.resolve("task.json");
        Cli.Result toFile = Cli.run("deploy", "ecs", task, "--suffix", "-inlay", "--json", "-o", out.toString());
        assertEquals(0, toFile.exitCode(), toFile.toString());
        assertFalse(JSON.readTree(toFile.out()).has("document"));
        assertTrue(Files.readString(out).contains("-inlay"));
    }
}
