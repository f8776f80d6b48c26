package dev.inlay.cli.profiler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlay.policy.Policy;
import dev.inlay.policy.PolicyParser;
import dev.inlay.profiler.CliRun;
import dev.inlay.profiler.Docs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.inlay.profiler.Docs.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyCommandTest {
    @TempDir
    Path dir;

    static final String HEAD = "apiVersion: inlay.dev/v1\nkind: Policy\nmetadata:\n  name: t\nspec:\n  mode: enforce\n";

    Path policy(String name, String body) throws IOException {
        return Files.writeString(dir.resolve(name), HEAD + body);
    }

    static String fileRule(String id, String action, String ops, String... paths) {
        StringBuilder sb = new StringBuilder(
                "    - id: " + id + "\n      action: " + action + "\n      operations: [" + ops + "]\n      paths:\n");
        for (String p : paths) sb.append("        - \"").append(p).append("\"\n");
        return sb.toString();
    }

    @Test
    void generateWritesAPolicyThatValidatesAndLintsClean() throws Exception {
        Path log = Files.writeString(
                dir.resolve("pod.log"),
                "app starting\n"
                        + "2026-11-23T17:02:00.1Z "
                        + Docs.simple(
                                1,
                                file("read", "/app/lib/a.jar"),
                                file("read", "/app/lib/b.jar"),
                                file("write", "/tmp/upload-8812.tmp"),
                                Docs.connect("db.internal", "10.0.0.5", 5432))
                        + "\n");
        Path out = dir.resolve("policy.yaml");
        CliRun gen = CliRun.run(
                new PolicyCommand(),
                "generate",
                log.toString(),
                "-o",
                out.toString(),
                "--name",
                "shop",
                "--mode",
                "monitor");
        assertEquals(0, gen.code(), gen.toString());
        Policy p = PolicyParser.parse(out);
        assertEquals("shop", p.name());
        assertEquals(dev.inlay.policy.Mode.MONITOR, p.mode());
        CliRun validate = CliRun.run(new PolicyCommand(), "validate", out.toString());
        assertEquals(0, validate.code(), validate.toString());
        CliRun lint = CliRun.run(new PolicyCommand(), "lint", out.toString());
        assertEquals(0, lint.code(), lint.toString());
        assertTrue(lint.out().contains("clean"), lint.out());
        assertEquals(
                2,
                CliRun.run(new PolicyCommand(), "generate", log.toString(), "--mode", "learn")
                        .code());
    }

    /** Issue 22 from the command line: rules per component, and a permission given to more code fails the CI gate. */
    @Test
    void generateScopesByComponentAndDiffCallsMoreCodeAWidening() throws Exception {
        String t = "2026-11-23T17:01:00.000Z";
        String log4j = "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1";
        String appLookup = by("app", Docs.behavior("jndi", "lookup", "java:comp/env/jdbc/ds", 1, t, t));
        String log4jLookup = by(log4j, Docs.behavior("jndi", "lookup", "java:comp/env/jdbc/ds", 1, t, t));
        String log4jWrite = by(log4j, file("write", "/var/log/app.log"));
        Path learned = Files.writeString(
                dir.resolve("learned.log"), Docs.simple(1, appLookup, log4jWrite, file("read", "/etc/hosts")) + "\n");
        Path relearned = Files.writeString(
                dir.resolve("relearned.log"),
                Docs.simple(1, appLookup, log4jLookup, log4jWrite, file("read", "/etc/hosts")) + "\n");
        Path before = dir.resolve("before.yaml");
        Path after = dir.resolve("after.yaml");
        assertEquals(
                0,
                CliRun.run(new PolicyCommand(), "generate", learned.toString(), "-o", before.toString())
                        .code());
        assertEquals(
                0,
                CliRun.run(new PolicyCommand(), "generate", relearned.toString(), "-o", after.toString())
                        .code());
        String yaml = Files.readString(before);
        assertTrue(yaml.contains("    - id: \"app-jndi-java\"\n"), yaml);
        assertTrue(yaml.contains("      components:\n        - \"app\"\n"), yaml);
        assertTrue(
                yaml.contains("    # asked by log4j-core 2.14.1\n    - id: \"log4j-core-file-var-log-app-log\"\n"),
                yaml);
        CliRun lint = CliRun.run(new PolicyCommand(), "lint", before.toString());
        assertEquals(0, lint.code(), lint.toString());

        // Relearned, log4j looked up the same name: both components needed it, the rule is now for all code.
        CliRun diff = CliRun.run(new PolicyCommand(), "diff", before.toString(), after.toString());
        assertEquals(1, diff.code(), diff.toString());
        assertTrue(diff.out().contains("+ added jndi/jndi-java"), diff.out());
        assertEquals(
                0,
                CliRun.run(new PolicyCommand(), "diff", after.toString(), before.toString())
                        .code());
    }

    private static String by(String component, String behavior) {
        return behavior.substring(0, behavior.length() - 1) + ",\"component\":\"" + component + "\"}";
    }

    @Test
    void validateReportsFileLineAndColumn() throws IOException {
        Path bad = policy("bad.yaml", "  files:\n    - id: x\n      action: allow\n      pathz: [\"/a\"]\n");
        CliRun r = CliRun.run(new PolicyCommand(), "validate", bad.toString());
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains(bad + ":10:"), r.err());
        assertEquals(3, CliRun.run(new PolicyCommand(), "lint", bad.toString()).code());
        assertEquals(
                4,
                CliRun.run(
                                new PolicyCommand(),
                                "validate",
                                dir.resolve("missing.yaml").toString())
                        .code());
    }

    @Test
    void lintFindsBroadSecretShadowedAndImpossibleRules() throws IOException {
        Path p = policy(
                "p.yaml",
                "  files:\n"
                        + fileRule("everything", "allow", "read", "/**")
                        + fileRule("keys", "allow", "read", "/home/*/.ssh/id_rsa")
                        + fileRule("lib", "allow", "read", "/app/lib/*.jar")
                        + fileRule("one-lib", "allow", "read", "/app/lib/a.jar")
                        + "  network:\n    - id: listen-db\n      action: allow\n      operations: [listen]\n"
                        + "      hosts: [\"db.internal\"]\n      ports: [\"5432\"]\n"
                        + "    - id: world\n      action: allow\n      operations: [connect]\n      cidrs: [\"0.0.0.0/0\"]\n"
                        + "  processes:\n    - id: any-bin\n      action: allow\n      executables: [\"/usr/bin/*\"]\n");
        CliRun r = CliRun.run(new PolicyCommand(), "lint", p.toString());
        assertEquals(1, r.code(), r.toString());
        String out = r.out();
        assertTrue(out.contains("broad: files/everything"), out);
        assertTrue(out.contains("secret: files/keys"), out);
        assertTrue(out.contains("shadowed: files/one-lib: redundant: everything"), out);
        assertTrue(out.contains("never-matches: network/listen-db"), out);
        assertTrue(out.contains("broad: network/world"), out);
        assertTrue(out.contains("broad: processes/any-bin"), out);
        assertFalse(
                out.contains("broad: files/lib:") || out.contains("secret: files/lib:"),
                "a tight rule is not broad: " + out);
        assertTrue(out.contains("shadowed: files/lib: redundant: everything"), out);
    }

    @Test
    void lintFindsSecretsPublicCloudDomainsAndWritesOutsideTheAppsData() throws IOException {
        Path p = policy(
                "p.yaml",
                "  files:\n"
                        + fileRule("root-dotfile", "allow", "read", "/root/.bashrc")
                        + fileRule("run-secrets", "allow", "read", "/run/secrets/db-password")
                        + fileRule("sa-dir", "allow", "list", "/var/run/secrets/kubernetes.io/serviceaccount")
                        + fileRule("plant-key", "allow", "write", "/home/app/.ssh/authorized_keys")
                        + fileRule("environ", "allow", "read", "/proc/*/environ")
                        + fileRule("gcloud", "allow", "read", "/home/*/.config/gcloud/*")
                        + fileRule("var-lib", "allow", "write", "/var/lib/*")
                        + fileRule("srv", "allow", "create", "/srv/*.dat")
                        + fileRule("etc-drop", "allow", "write", "/etc/cron.d/*")
                        + fileRule(
                                "own-data",
                                "allow",
                                "read, write, create",
                                "/var/lib/docservice/docs/*",
                                "/app/data/*",
                                "/tmp/upload-*.tmp")
                        + fileRule("literal-star", "allow", "read", "/etc/\\\\*")
                        + "  dns:\n    - id: s3\n      action: allow\n      names: [\"*.s3.amazonaws.com\", \"*.s3.eu-west-1.amazonaws.com\"]\n"
                        + "    - id: azure\n      action: allow\n      names: [\"*.blob.core.windows.net\"]\n"
                        + "    - id: google\n      action: allow\n      names: [\"*.googleapis.com\"]\n"
                        + "    - id: cdn\n      action: allow\n      names: [\"*.cloudfront.net\"]\n"
                        + "    - id: own-bucket\n      action: allow\n      names: [\"*.docservice-prod.s3.amazonaws.com\", \"*.svc.cluster.local\"]\n"
                        + "  network:\n    - id: aws\n      action: allow\n      hosts: [\"*.amazonaws.com\"]\n");
        CliRun r = CliRun.run(new PolicyCommand(), "lint", p.toString());
        assertEquals(1, r.code(), r.toString());
        String out = r.out();
        for (String id : new String[] {"root-dotfile", "run-secrets", "sa-dir", "plant-key", "environ", "gcloud"}) {
            assertTrue(out.contains("secret: files/" + id + ":"), id + "\n" + out);
        }
        for (String id : new String[] {"var-lib", "srv", "etc-drop"})
            assertTrue(out.contains("broad: files/" + id + ":"), id + "\n" + out);
        for (String id : new String[] {"dns/s3", "dns/azure", "dns/google", "dns/cdn", "network/aws"}) {
            assertTrue(out.contains("broad: " + id + ":") && out.contains("public-cloud domain"), id + "\n" + out);
        }
        assertEquals(2, out.split("broad: dns/s3:", -1).length - 1, "both S3 wildcards: " + out);
        assertFalse(out.contains("files/own-data:"), "the app's own data directories are not outside it: " + out);
        assertFalse(out.contains("files/literal-star:"), "an escaped '*' is one file, not /etc: " + out);
        assertFalse(out.contains("dns/own-bucket:"), "a tenant's own subdomain is not the whole cloud: " + out);
    }

    @Test
    void diffReadsEscapedStarsAsLiterals() throws IOException {
        Path literal = policy("literal.yaml", "  files:\n" + fileRule("etc", "allow", "read", "/etc/\\\\*"));
        Path wildcard = policy("wildcard.yaml", "  files:\n" + fileRule("etc", "allow", "read", "/etc/*"));
        CliRun r = CliRun.run(new PolicyCommand(), "diff", literal.toString(), wildcard.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("+ widened files/etc"), r.out());
        r = CliRun.run(new PolicyCommand(), "diff", wildcard.toString(), literal.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("narrowed files/etc"), r.out());
    }

    @Test
    void diffIsACiGateOnWidening() throws IOException {
        Path a = policy(
                "a.yaml",
                "  files:\n" + fileRule("lib", "allow", "read", "/app/lib/a.jar")
                        + fileRule("no-shadow", "deny", "read", "/etc/shadow"));
        Path same = policy(
                "same.yaml",
                "  files:\n" + fileRule("lib", "allow", "read", "/app/lib/a.jar")
                        + fileRule("no-shadow", "deny", "read", "/etc/shadow"));
        Path widened = policy(
                "wide.yaml",
                "  files:\n" + fileRule("lib", "allow", "read", "/app/lib/*.jar")
                        + fileRule("no-shadow", "deny", "read", "/etc/shadow"));
        Path narrowed = policy("narrow.yaml", "  files:\n" + fileRule("no-shadow", "deny", "read", "/etc/shadow"));
        Path added = policy(
                "added.yaml",
                "  files:\n" + fileRule("lib", "allow", "read", "/app/lib/a.jar")
                        + fileRule("no-shadow", "deny", "read", "/etc/shadow")
                        + fileRule("conf", "allow", "read", "/app/conf.yml"));
        Path actionChanged = policy(
                "action.yaml",
                "  files:\n" + fileRule("lib", "allow", "read", "/app/lib/a.jar")
                        + fileRule("no-shadow", "allow", "read", "/etc/shadow"));

        CliRun r = CliRun.run(new PolicyCommand(), "diff", a.toString(), same.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("no changes"), r.out());

        r = CliRun.run(new PolicyCommand(), "diff", a.toString(), widened.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("+ widened files/lib"), r.out());

        r = CliRun.run(new PolicyCommand(), "diff", a.toString(), narrowed.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("removed files/lib"), r.out());

        r = CliRun.run(new PolicyCommand(), "diff", a.toString(), added.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("+ added files/conf"), r.out());

        r = CliRun.run(new PolicyCommand(), "diff", widened.toString(), a.toString(), "--json");
        assertEquals(0, r.code(), r.toString());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertFalse(json.path("widens").asBoolean());
        assertEquals("narrowed", json.path("changes").get(0).path("kind").asText());

        r = CliRun.run(new PolicyCommand(), "diff", a.toString(), actionChanged.toString(), "--json");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("\"kind\":\"action_changed\""), r.out());

        Path monitor = Files.writeString(
                dir.resolve("monitor.yaml"), Files.readString(a).replace("mode: enforce", "mode: monitor"));
        r = CliRun.run(new PolicyCommand(), "diff", a.toString(), monitor.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("mode changed enforce -> monitor"), r.out());
    }

    @Test
    void prunesRulesWithoutHitsInTheWindow() throws Exception {
        Path p = policy(
                "p.yaml",
                "  files:\n" + fileRule("used", "allow", "read", "/a")
                        + fileRule("unused", "allow", "read", "/b") + fileRule("old", "allow", "read", "/c")
                        + fileRule("guard", "deny", "read", "/etc/shadow"));
        Path hits = Files.writeString(
                dir.resolve("hits.log"),
                String.join(
                        "\n",
                        "2026-11-01T00:00:00Z {\"inlay\":\"hits\",\"time\":\"2026-11-01T00:00:00.000Z\",\"run\":\"r1\","
                                + "\"replica\":\"w1\",\"since\":\"2026-10-31T00:00:00.000Z\",\"rules\":{\"old\":5}}",
                        "app log line",
                        "{\"inlay\":\"hits\",\"time\":\"2026-11-20T00:00:00.000Z\",\"run\":\"r1\",\"replica\":\"w1\","
                                + "\"since\":\"2026-11-10T00:00:00.000Z\",\"rules\":{\"used\":3}}",
                        "{\"inlay\":\"hits\",\"time\":\"2026-11-20T00:00:00.000Z\",\"run\":\"r1\",\"replica\":\"w1\","
                                + "\"since\":\"2026-11-10T00:00:00.000Z\",\"rules\":{\"used\":3}}"));
        Path out = dir.resolve("pruned.yaml");
        CliRun r = CliRun.run(
                new PolicyCommand(), "prune", p.toString(), hits.toString(), "--window", "7d", "-o", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("remove files/unused"), r.out());
        assertTrue(r.out().contains("remove files/old"), r.out());
        assertFalse(r.out().contains("files/used:"), r.out());
        assertFalse(r.out().contains("guard"), "deny rules are never pruned: " + r.out());
        Policy pruned = PolicyParser.parse(out);
        assertEquals(
                java.util.List.of("used", "guard"),
                pruned.rules().stream().map(dev.inlay.policy.Rule::id).toList());

        r = CliRun.run(new PolicyCommand(), "prune", p.toString(), hits.toString(), "--window", "30d");
        assertTrue(r.out().contains("warning: hits cover only"), r.out());
        assertFalse(r.out().contains("remove files/old"), r.out());

        Path noHits = Files.writeString(dir.resolve("empty.log"), "nothing\n");
        assertEquals(
                3,
                CliRun.run(new PolicyCommand(), "prune", p.toString(), noHits.toString())
                        .code());
        // a bad option value is a bad command line (docs/CLI.md)
        assertEquals(
                2,
                CliRun.run(new PolicyCommand(), "prune", p.toString(), hits.toString(), "--window", "soon")
                        .code());
    }

    @Test
    void everyCommandHasHelp() {
        for (String sub : new String[] {"generate", "diff", "lint", "validate", "prune"}) {
            CliRun r = CliRun.run(new PolicyCommand(), sub, "--help");
            assertEquals(0, r.code(), sub);
            assertTrue(r.out().contains("Usage: policy " + sub), r.out());
        }
        assertEquals(0, CliRun.run(new PolicyCommand(), "--help").code());
        assertEquals(2, CliRun.run(new PolicyCommand()).code());
    }

    @Test
    void aPolicyNested10000LevelsDeepIsBadInputWithOneLineAndNoTrace() throws IOException {
        Path deep = policy("deep.yaml", "  files: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n");
        Path fine = policy("fine.yaml", "");
        for (String[] args : new String[][] {
            {"validate", deep.toString()}, {"lint", deep.toString()}, {"diff", fine.toString(), deep.toString()}
        }) {
            CliRun r = CliRun.run(new PolicyCommand(), args);
            assertEquals(3, r.code(), r.toString());
            assertEquals(
                    "inlay: " + deep + ":7:72: nested more than 64 levels deep (hint: a policy needs five levels;"
                            + " check the brackets and indentation)\n",
                    r.err().replace("\r\n", "\n"),
                    r.toString());
        }
    }
}
