package dev.inlay.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlay.cli.Inlay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line end to end, in-process: exit codes, where the document and the summary go. */
class DeployCommandTest {
    private static final String ORIG = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/orders:1.14.2";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @TempDir
    Path dir;

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void fargateWritesTheDocumentToStdoutAndTheSummaryToStderr() {
        int code = Inlay.run(
                "deploy",
                "fargate",
                DeploySamples.path("fargate-orders.json").toString(),
                "--image-map",
                ORIG + "=" + ORIG + "-inlay",
                "--mode",
                "enforce");
        assertEquals(0, code, stderr());
        JsonNode doc = JsonDocument.read(stdout(), "stdout");
        assertEquals(ORIG + "-inlay", doc.at("/containerDefinitions/0/image").asText());
        assertTrue(stderr().contains("orders-api (containerDefinitions[0]): wrapped"), stderr());
        assertFalse(stdout().contains("inlay deploy"), "the summary stays out of the document");
    }

    @Test
    void outputFileAndImageMapFileAndPolicyFromFile() throws Exception {
        Path map = dir.resolve("images.txt");
        Files.writeString(
                map,
                "# from CI\nregistry.example.com/shop/orders:1.14.2=registry.example.com/shop/orders@sha256:"
                        + "c".repeat(64) + "\n");
        Path target = dir.resolve("out.yaml");
        Path policy = DeploySamples.path("policy-orders.yaml");
        int code = Inlay.run(
                "deploy",
                "k8s",
                DeploySamples.path("k8s-orders.yaml").toString(),
                "-o",
                target.toString(),
                "--image-map-file",
                map.toString(),
                "--policy-b64-from",
                policy.toString(),
                "--sink",
                "stderr");
        assertEquals(0, code, stderr());
        assertEquals("", stdout());
        String written = Files.readString(target);
        assertTrue(written.contains("image: registry.example.com/shop/orders@sha256:" + "c".repeat(64)), written);
        String b64 = Base64.getEncoder().encodeToString(Files.readAllBytes(policy));
        assertTrue(written.contains("- name: INLAY_POLICY_B64\n              value: " + b64 + "\n"), written);
        assertTrue(stderr().contains("+ INLAY_POLICY_B64=<policy, " + b64.length() + " base64 characters>"), stderr());
        assertFalse(stderr().contains(b64), "the policy itself stays out of the summary");

        // In place, a second time: nothing changes.
        assertEquals(
                0,
                Inlay.run(
                        "deploy",
                        "k8s",
                        target.toString(),
                        "-o",
                        target.toString(),
                        "--image-map-file",
                        map.toString(),
                        "--policy-b64-from",
                        policy.toString(),
                        "--sink",
                        "stderr"));
        assertEquals(written, Files.readString(target));
    }

    /** Issue 19: a candidate beside the policy in force, and the start-up switch, set like the other settings. */
    @Test
    void shadowPolicyAndStartupSwitchAreSetAndCheckedLikeTheOtherSettings() throws Exception {
        String task = DeploySamples.path("fargate-orders.json").toString();
        Path target = dir.resolve("task.json");
        assertEquals(
                0,
                Inlay.run(
                        "deploy",
                        "fargate",
                        task,
                        "--image-map",
                        ORIG + "=" + ORIG + "-inlay",
                        "--mode",
                        "enforce",
                        "--policy",
                        "/etc/inlay/policy.yaml",
                        "--shadow-policy",
                        "/etc/inlay/next.yaml",
                        "--startup",
                        "monitor",
                        "-o",
                        target.toString()),
                stderr());
        JsonNode doc = JsonDocument.read(Files.readString(target), "task.json");
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (JsonNode e : doc.at("/containerDefinitions/0/environment"))
            env.put(e.path("name").asText(), e.path("value").asText());
        assertEquals("/etc/inlay/next.yaml", env.get("INLAY_SHADOW_POLICY"), env.toString());
        assertEquals("monitor", env.get("INLAY_STARTUP"), env.toString());
        assertEquals(2, Inlay.run("deploy", "fargate", task, "--suffix", "-inlay", "--shadow-policy", "next.yaml"));
        assertTrue(stderr().contains("--shadow-policy must be an absolute path in the container"), stderr());
        assertEquals(2, Inlay.run("deploy", "fargate", task, "--suffix", "-inlay", "--startup", "sometimes"));
        assertTrue(stderr().contains("--startup must be enforce or monitor, got 'sometimes'"), stderr());
    }

    @Test
    void checkExitsOneListsTheUnwrappedAndWritesNothing() {
        Path target = dir.resolve("task.json");
        int code = Inlay.run(
                "deploy",
                "fargate",
                DeploySamples.path("fargate-orders.json").toString(),
                "--check",
                "-o",
                target.toString());
        assertEquals(1, code);
        assertFalse(Files.exists(target));
        assertTrue(stderr().contains("inlay: check failed: 2 containers do not run a wrapped image:"), stderr());
        assertTrue(stderr().contains("orders-api (containerDefinitions[0]): " + ORIG), stderr());
    }

    @Test
    void checkPassesOnAWrappedDocument() throws Exception {
        Path wrapped = dir.resolve("wrapped.json");
        assertEquals(
                0,
                Inlay.run(
                        "deploy",
                        "fargate",
                        DeploySamples.path("fargate-orders.json").toString(),
                        "--suffix",
                        "-inlay",
                        "--skip-container",
                        "log-router",
                        "-o",
                        wrapped.toString()));
        assertEquals(
                0,
                Inlay.run(
                        "deploy",
                        "fargate",
                        wrapped.toString(),
                        "--check",
                        "--skip-container",
                        "log-router",
                        "--mode",
                        "monitor",
                        "-o",
                        dir.resolve("checked.json").toString()),
                stderr());
        assertTrue(Files.readString(dir.resolve("checked.json")).contains("\"value\": \"monitor\""));
    }

    @Test
    void exitCodesForUsageInputAndIoProblems() {
        String task = DeploySamples.path("fargate-orders.json").toString();
        assertEquals(2, Inlay.run("deploy"));
        assertEquals(2, Inlay.run("deploy", "fargate", task), "no mapping and no --check");
        assertEquals(2, Inlay.run("deploy", "fargate", task, "--bogus"));
        assertEquals(2, Inlay.run("deploy", "fargate", task, "--suffix", "-inlay", "--mode", "sometimes"));
        assertEquals(
                3,
                Inlay.run(
                        "deploy",
                        "fargate",
                        DeploySamples.path("k8s-orders.yaml").toString(),
                        "--suffix",
                        "-inlay"));
        assertEquals(
                3,
                Inlay.run(
                        "deploy",
                        "cloudrun",
                        DeploySamples.path("aci-orders.yaml").toString(),
                        "--suffix",
                        "-inlay"));
        assertEquals(2, Inlay.run("deploy", "fargate", task, "--image-map", "no-equals-sign"));
        assertEquals(
                4, Inlay.run("deploy", "fargate", dir.resolve("missing.json").toString(), "--suffix", "-inlay"));
        assertTrue(stderr().contains("inlay: --mode must be learn, monitor or enforce, got 'sometimes'"), stderr());
        assertTrue(stderr().contains("not ECS") || stderr().contains("not valid JSON"), stderr());
    }

    @Test
    void aPolicyThatDoesNotParseIsBadInput() {
        int code = Inlay.run(
                "deploy",
                "aci",
                DeploySamples.path("aci-orders.yaml").toString(),
                "--suffix",
                "-inlay",
                "--policy-b64-from",
                DeploySamples.path("policy-broken.yaml").toString());
        assertEquals(3, code, stderr());
        assertTrue(stderr().contains("policy-broken.yaml"), stderr());
        assertEquals("", stdout());
    }

    @Test
    void anOverlongImageMapLineAndAnOversizeDocumentAreBadInputNamingWhere() throws Exception {
        Path map = Files.writeString(dir.resolve("map.txt"), "# images\n" + "x".repeat(200_000) + "=y\n");
        String task = DeploySamples.path("fargate-orders.json").toString();
        assertEquals(3, Inlay.run("deploy", "fargate", task, "--image-map-file", map.toString()), stderr());
        assertTrue(stderr().contains("inlay: " + map + ":2: a line longer than 4096 characters"), stderr());
        Path huge = dir.resolve("huge.json");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(100L * 1024 * 1024); // sparse
        }
        assertEquals(3, Inlay.run("deploy", "fargate", huge.toString(), "--suffix", "-inlay"), stderr());
        assertTrue(
                stderr().contains("inlay: " + huge + ": 104857600 bytes, more than the limit of 67108864 (64 MiB)"
                        + " for a deployment document"),
                stderr());
    }
}
