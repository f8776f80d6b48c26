package dev.inlay.cli.profiler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlay.profiler.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code inlay events --format ocsf|falco}: each category's event in the shape the SIEM expects. */
class EventsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IMAGE = "registry.example:5000/shop/orders:1-inlay@sha256:" + "ab".repeat(32);
    private static final String WORKLOAD = "\"workload\":{\"hostname\":\"orders-7d9f\",\"podname\":\"orders-7d9f\","
            + "\"podnamespace\":\"shop\",\"kubernetes\":true,\"image\":\"" + IMAGE + "\",\"imageDigest\":\"sha256:"
            + "ab".repeat(32) + "\",\"originalManifestDigest\":\"sha256:" + "11".repeat(32) + "\"}";
    private static final String POLICY =
            "\"policy\":{\"name\":\"orders\",\"digest\":\"sha256:" + "cd".repeat(32) + "\"}";

    @TempDir
    Path dir;

    private static String event(
            String mode,
            String action,
            boolean blocked,
            String severity,
            String message,
            String behavior,
            String rule) {
        return "{\"inlay\":\"event\",\"time\":\"2026-11-23T18:27:20.001Z\",\"agent\":\"0.1.0\",\"run\":\"run-1\","
                + "\"mode\":\"" + mode + "\",\"action\":\"" + action + "\",\"blocked\":" + blocked
                + ",\"severity\":\"" + severity + "\",\"message\":\"" + message + "\"," + behavior
                + ",\"rule\":\"" + rule + "\"," + POLICY + ",\"count\":3,\"pid\":4711,\"thread\":\"http-1\","
                + "\"frame\":\"com.example.Repo.open:42\"," + WORKLOAD + "}";
    }

    private Path capture() throws Exception {
        List<String> lines = List.of(
                "{\"inlay\":\"status\",\"status\":\"started\",\"run\":\"run-1\"}",
                "2026-11-23T18:27:20.5Z "
                        + event(
                                "enforce",
                                "deny",
                                true,
                                "medium",
                                "file read /etc/shadow denied by rule default/files",
                                "\"category\":\"file\",\"operation\":\"read\",\"resource\":\"/etc/shadow\"",
                                "default/files"),
                event(
                        "enforce",
                        "kill",
                        true,
                        "critical",
                        "process exec /bin/sh halted the JVM by rule no-shell",
                        "\"category\":\"process\",\"operation\":\"exec\",\"resource\":\"/bin/sh\","
                                + "\"args\":[\"/bin/sh\",\"-c\",\"id\"]",
                        "no-shell"),
                "application log line",
                event(
                        "monitor",
                        "alert",
                        false,
                        "low",
                        "network connect tcp://db.internal:5432 alerted by rule db",
                        "\"category\":\"network\",\"operation\":\"connect\",\"resource\":\"tcp://db.internal:5432\","
                                + "\"host\":\"db.internal\",\"address\":\"10.0.0.5\",\"port\":5432,\"protocol\":\"tcp\"",
                        "db"),
                "{\"inlay\":\"event\", broken",
                event(
                        "monitor",
                        "deny",
                        false,
                        "medium",
                        "dns resolve evil.example would be denied by rule default/dns (monitor mode)",
                        "\"category\":\"dns\",\"operation\":\"resolve\",\"resource\":\"evil.example\"",
                        "default/dns"));
        return Files.write(dir.resolve("events.log"), lines);
    }

    private static List<JsonNode> lines(String out) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.split("\n")) if (!line.isBlank()) nodes.add(JSON.readTree(line));
        return nodes;
    }

    @Test
    void ocsfGivesEachCategoryItsActivityClass() throws Exception {
        CliRun r = CliRun.run(new EventsCommand(), "--format", "ocsf", capture().toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("converted 4 events; skipped 1 malformed lines"), r.err());
        List<JsonNode> out = lines(r.out());
        assertEquals(4, out.size(), r.out());
        long time = java.time.Instant.parse("2026-11-23T18:27:20.001Z").toEpochMilli();
        for (JsonNode o : out) {
            assertEquals(time, o.path("time").asLong(), o.toString());
            assertEquals(
                    "inlay", o.path("metadata").path("product").path("name").asText());
            assertEquals(
                    "0.1.0", o.path("metadata").path("product").path("version").asText());
            assertEquals("1.1.0", o.path("metadata").path("version").asText());
            assertEquals(
                    o.path("class_uid").asLong() * 100 + o.path("activity_id").asLong(),
                    o.path("type_uid").asLong());
            assertEquals("orders-7d9f", o.path("device").path("hostname").asText());
            assertEquals(IMAGE, o.path("container").path("image").path("name").asText());
            assertEquals(
                    "sha256:" + "ab".repeat(32),
                    o.path("container").path("image").path("uid").asText());
            assertEquals(
                    "sha256:" + "cd".repeat(32),
                    o.path("unmapped").path("policy").path("digest").asText());
        }
        JsonNode file = out.get(0);
        assertEquals(1001, file.path("class_uid").asInt());
        assertEquals(1, file.path("category_uid").asInt());
        assertEquals(2, file.path("activity_id").asInt(), "Read");
        assertEquals(3, file.path("severity_id").asInt(), "medium");
        assertEquals("/etc/shadow", file.path("file").path("path").asText());
        assertEquals(
                "file read /etc/shadow denied by rule default/files",
                file.path("message").asText());
        assertEquals(2, file.path("status_id").asInt(), "blocked: Failure");
        assertEquals(2, file.path("action_id").asInt(), "Denied");

        JsonNode process = out.get(1);
        assertEquals(1007, process.path("class_uid").asInt());
        assertEquals(1, process.path("category_uid").asInt());
        assertEquals(1, process.path("activity_id").asInt(), "Launch");
        assertEquals(5, process.path("severity_id").asInt(), "critical");
        assertEquals("/bin/sh -c id", process.path("process").path("cmd_line").asText());
        assertEquals(4711, process.path("actor").path("process").path("pid").asInt());

        JsonNode network = out.get(2);
        assertEquals(4001, network.path("class_uid").asInt());
        assertEquals(4, network.path("category_uid").asInt());
        assertEquals(1, network.path("activity_id").asInt(), "Open");
        assertEquals(2, network.path("severity_id").asInt(), "low");
        assertEquals(
                "db.internal", network.path("dst_endpoint").path("hostname").asText());
        assertEquals("10.0.0.5", network.path("dst_endpoint").path("ip").asText());
        assertEquals(5432, network.path("dst_endpoint").path("port").asInt());
        assertEquals(1, network.path("status_id").asInt(), "not blocked: Success");

        JsonNode dns = out.get(3);
        assertEquals(4003, dns.path("class_uid").asInt());
        assertEquals(4, dns.path("category_uid").asInt());
        assertEquals(1, dns.path("activity_id").asInt(), "Query");
        assertEquals(3, dns.path("severity_id").asInt());
        assertEquals("evil.example", dns.path("query").path("hostname").asText());
    }

    @Test
    void falcoGivesRulePriorityOutputAndFields() throws Exception {
        Path out = dir.resolve("falco.jsonl");
        CliRun r =
                CliRun.run(new EventsCommand(), "--format", "falco", capture().toString(), "-o", out.toString());
        assertEquals(0, r.code(), r.toString());
        List<JsonNode> alerts = lines(Files.readString(out));
        assertEquals(4, alerts.size());
        for (JsonNode f : alerts) {
            assertEquals("2026-11-23T18:27:20.001Z", f.path("time").asText());
            assertEquals("inlay", f.path("source").asText());
            assertEquals("inlay", f.path("tags").get(0).asText());
            assertTrue(f.path("output").asText().contains("image=" + IMAGE), f.toString());
            assertTrue(f.path("output").asText().contains("pod=shop/orders-7d9f"), f.toString());
            JsonNode fields = f.path("output_fields");
            assertEquals(
                    "registry.example:5000/shop/orders",
                    fields.path("container.image.repository").asText());
            assertEquals(
                    "sha256:" + "ab".repeat(32),
                    fields.path("container.image.digest").asText());
            assertEquals("orders-7d9f", fields.path("k8s.pod.name").asText());
            assertEquals("shop", fields.path("k8s.ns.name").asText());
            assertEquals("orders", fields.path("inlay.policy.name").asText());
            assertEquals(4711, fields.path("proc.pid").asInt());
        }
        assertEquals("inlay file: default/files", alerts.get(0).path("rule").asText());
        assertEquals("Warning", alerts.get(0).path("priority").asText());
        assertTrue(
                alerts.get(0).path("output").asText().startsWith("file read /etc/shadow denied by rule default/files"));
        assertEquals(
                "/etc/shadow",
                alerts.get(0).path("output_fields").path("fd.name").asText());
        assertEquals("Critical", alerts.get(1).path("priority").asText());
        assertEquals(
                "/bin/sh -c id",
                alerts.get(1).path("output_fields").path("proc.cmdline").asText());
        assertEquals("Notice", alerts.get(2).path("priority").asText());
        assertEquals(
                "db.internal",
                alerts.get(2).path("output_fields").path("fd.sip.name").asText());
        assertEquals(5432, alerts.get(2).path("output_fields").path("fd.sport").asInt());
        assertEquals("Warning", alerts.get(3).path("priority").asText());
        assertEquals(
                List.of("inlay", "dns", "deny", "monitor"),
                JSON.convertValue(alerts.get(3).path("tags"), List.class));
    }

    /** A start-up denial keeps its phase in both shapes; a candidate's shadow line is no event and is skipped. */
    @Test
    void thePhaseOfADenialIsKeptAndShadowLinesAreNotEvents() throws Exception {
        String denial = event(
                        "enforce",
                        "deny",
                        false,
                        "medium",
                        "file read /etc/app.conf would be denied by rule default/files (start-up, INLAY_STARTUP=monitor)",
                        "\"category\":\"file\",\"operation\":\"read\",\"resource\":\"/etc/app.conf\"",
                        "default/files")
                .replace(",\"count\":3", ",\"phase\":\"startup\",\"count\":3");
        String shadow = denial.replace("{\"inlay\":\"event\"", "{\"inlay\":\"shadow\"");
        Path in = Files.write(dir.resolve("phase.log"), List.of(denial, shadow));
        CliRun ocsf = CliRun.run(new EventsCommand(), "--format", "ocsf", in.toString());
        assertEquals(0, ocsf.code(), ocsf.toString());
        List<JsonNode> converted = lines(ocsf.out());
        assertEquals(1, converted.size(), ocsf.out());
        assertEquals("startup", converted.get(0).path("unmapped").path("phase").asText(), ocsf.out());
        CliRun falco = CliRun.run(new EventsCommand(), "--format", "falco", in.toString());
        assertEquals(
                "startup",
                lines(falco.out())
                        .get(0)
                        .path("output_fields")
                        .path("inlay.phase")
                        .asText(),
                falco.out());
    }

    /**
     * What the real agent writes converts: a JVM under the packaged agent (runtime-layer/target) reads a file, starts
     * a process, resolves a name and connects, in monitor mode; each event becomes its OCSF class with the policy's
     * digest and the image from INLAY_IMAGE.
     */
    @Test
    void theRealAgentsEventsConvertToTheirOcsfClasses() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        Path agent = root.resolve("runtime-layer/target/inlay-agent.jar");
        Path probes = root.resolve("runtime-layer/target/test-classes");
        if (!Files.isRegularFile(agent) || !Files.isDirectory(probes.resolve("dev/inlay/probe"))) {
            String what = agent + " and " + probes + " (mvn -pl runtime-layer package)";
            if ("true".equals(System.getenv("CI")))
                org.junit.jupiter.api.Assertions.fail("missing build output: " + what);
            org.junit.jupiter.api.Assumptions.abort("missing build output: " + what);
        }
        Path watched = Files.createDirectories(dir.resolve("watched"));
        Files.writeString(Files.createDirectories(watched.resolve("denied")).resolve("r5.txt"), "r5"); // what it reads
        Path policy = Files.writeString(
                dir.resolve("policy.yaml"),
                String.join(
                        "\n",
                        "apiVersion: inlay.dev/v1",
                        "kind: Policy",
                        "metadata: {name: real}",
                        "spec:",
                        "  mode: monitor",
                        "  defaults: {files: allow, network: alert, dns: deny, processes: deny, nativeLibraries: allow,"
                                + " jndi: allow, deserialization: allow, classDefinition: allow, drift: allow}",
                        "  files:",
                        "    - {id: watched, action: deny, paths: [\"" + watched + "/**\"]}",
                        ""));
        String digest = "sha256:"
                + java.util.HexFormat.of()
                        .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(Files.readAllBytes(policy)));
        Path captured = dir.resolve("agent.log");
        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + agent + "=mode=monitor,policy=" + policy,
                "-cp",
                probes.toString(),
                "dev.inlay.probe.Probe",
                watched.toString(),
                "40000",
                "file.read.Files.readString",
                "process.exec.ProcessBuilder",
                "dns.resolve.InetAddress.getByName",
                "network.connect.Socket");
        pb.environment().keySet().removeIf(k -> k.startsWith("INLAY_") || k.equals("JAVA_TOOL_OPTIONS"));
        pb.environment().put("INLAY_IMAGE", IMAGE);
        pb.redirectErrorStream(true).redirectOutput(captured.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "the probe JVM ended");
        assertEquals(0, p.exitValue(), Files.readString(captured));

        CliRun r = CliRun.run(new EventsCommand(), "--format", "ocsf", captured.toString());
        assertEquals(0, r.code(), r.toString());
        java.util.Map<Integer, JsonNode> byClass = new java.util.HashMap<>();
        for (JsonNode o : lines(r.out())) byClass.put(o.path("class_uid").asInt(), o);
        assertEquals(java.util.Set.of(1001, 1007, 4001, 4003), byClass.keySet(), r.out());
        for (JsonNode o : byClass.values()) {
            assertEquals(
                    digest, o.path("unmapped").path("policy").path("digest").asText(), o.toString());
            assertEquals(IMAGE, o.path("container").path("image").path("name").asText(), o.toString());
            assertFalse(o.path("message").asText().isEmpty(), o.toString());
        }
        assertEquals(
                watched.resolve("denied/r5.txt").toString(),
                byClass.get(1001).path("file").path("path").asText());
        assertEquals(3, byClass.get(1001).path("severity_id").asInt(), "file deny: medium");
        assertEquals(4, byClass.get(1007).path("severity_id").asInt(), "process deny: high");
        assertEquals(2, byClass.get(4001).path("severity_id").asInt(), "network alert: low");
        assertEquals(
                "localhost", byClass.get(4003).path("query").path("hostname").asText());
    }

    @Test
    void badFormatIsAUsageErrorAndAMissingFileAnIoError() throws Exception {
        CliRun bad =
                CliRun.run(new EventsCommand(), "--format", "cef", capture().toString());
        assertEquals(2, bad.code(), bad.toString());
        assertTrue(bad.err().contains("unknown format 'cef' (ocsf, falco)"), bad.err());
        CliRun missing = CliRun.run(
                new EventsCommand(), "--format", "ocsf", dir.resolve("nope.log").toString());
        assertEquals(4, missing.code(), missing.toString());
        assertFalse(missing.out().contains("{"), missing.out());
    }
}
