package dev.inlay.cli;

import dev.inlay.instrumenter.Cli;
import dev.inlay.instrumenter.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What docs/CLI.md promises for every command: exit codes, one-line errors with their reason, usage and help. */
class CliContractTest {
    private static final String POLICY =
            "apiVersion: inlay.dev/v1\nkind: Policy\nmetadata: {name: shop}\nspec:\n  mode: monitor\n";

    @TempDir
    Path tmp;

    private Path image() throws IOException {
        List<byte[]> layers = List.of(
                TestImages.jvmLayer("/opt/jdk", "17.0.12"),
                new TestImages.LayerBuilder().file("app/app.jar", "jar", 0644).build());
        Path dir = tmp.resolve("src");
        TestImages.ociLayout(dir, "v1", layers, TestImages.config("amd64", layers, null));
        return dir;
    }

    @Test
    void anArchiveTargetInlayDidNotWriteIsNotOverwrittenWithoutForce() throws IOException {
        Path src = image();
        for (String kind : List.of("docker-archive:", "oci-archive:")) {
            Path policy = Files.writeString(tmp.resolve(kind.replace(":", "") + "-policy.yaml"), POLICY);
            Cli.Result refused = Cli.run("wrap", "oci:" + src + ":v1", kind + policy, "--mode", "learn", "-q");
            assertEquals(3, refused.exitCode(), refused.toString());
            assertTrue(
                    refused.err().contains(policy + " exists and is not an image archive inlay wrote"), refused.err());
            assertTrue(refused.err().contains("--force"), refused.err());
            assertEquals(POLICY, Files.readString(policy), "the file is untouched");

            // An archive inlay wrote is replaced without --force: wrapping again into the same target works.
            Path archive = tmp.resolve(kind.replace(":", "") + ".tar");
            assertEquals(
                    0,
                    Cli.run("wrap", "oci:" + src + ":v1", kind + archive, "--mode", "learn", "-q")
                            .exitCode());
            Cli.Result again = Cli.run("wrap", "oci:" + src + ":v1", kind + archive, "--mode", "learn", "-q");
            assertEquals(0, again.exitCode(), again.toString());
            Cli.Result unwrap = Cli.run("unwrap", kind + archive, kind + policy, "-q");
            assertEquals(3, unwrap.exitCode(), unwrap.toString());
            assertEquals(POLICY, Files.readString(policy));

            Cli.Result forced =
                    Cli.run("wrap", "oci:" + src + ":v1", kind + policy, "--mode", "learn", "-q", "--force");
            assertEquals(0, forced.exitCode(), forced.toString());
            assertFalse(Files.readString(policy, java.nio.charset.StandardCharsets.ISO_8859_1)
                    .startsWith("apiVersion"));
        }
    }

    @Test
    void errorsKeepTheirReasonAndTheUsersPath() throws IOException {
        Path src = image();
        Path missing = tmp.resolve("policy.yaml");
        Cli.Result noPolicy = Cli.run(
                "wrap",
                "oci:" + src + ":v1",
                "oci:" + tmp.resolve("out"),
                "--mode",
                "monitor",
                "--policy",
                missing.toString());
        assertEquals(4, noPolicy.exitCode(), noPolicy.toString());
        assertEquals("inlay: no such file or directory: " + missing + "\n", noPolicy.err());

        Cli.Result dirPolicy = Cli.run(
                "wrap",
                "oci:" + src + ":v1",
                "oci:" + tmp.resolve("out"),
                "--mode",
                "monitor",
                "--policy",
                tmp.toString());
        assertEquals(4, dirPolicy.exitCode(), dirPolicy.toString());
        assertEquals("inlay: a directory, not a file: " + tmp + "\n", dirPolicy.err());

        Cli.Result lint = Cli.run("policy", "lint", missing.toString());
        assertEquals(4, lint.exitCode(), lint.toString());
        assertEquals("inlay: no such file or directory: " + missing + "\n", lint.err());

        Cli.Result inspectDir = Cli.run("inspect", "docker-archive:" + tmp);
        assertEquals(4, inspectDir.exitCode(), inspectDir.toString());
        assertTrue(inspectDir.err().contains("a directory, not a file: " + tmp), inspectDir.err());

        // -o into a directory that does not exist: the user's path, never the temporary file's.
        Path out = tmp.resolve("no-such-dir/task.json");
        Cli.Result deploy = Cli.run(
                "deploy", "fargate", deploySample("fargate-orders.json"), "--suffix", "-inlay", "-o", out.toString());
        assertEquals(4, deploy.exitCode(), deploy.toString());
        assertTrue(deploy.err().contains(out.toString()), deploy.err());
        assertFalse(deploy.err().contains(".tmp"), deploy.err());
        // a file where a directory of the target's path should be: that file is named, never a temporary file
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        for (String target :
                List.of("docker-archive:" + file + "/x.tar", "oci-archive:" + file + "/x.tar", "oci:" + file + "/x")) {
            Cli.Result w = Cli.run("wrap", "oci:" + src + ":v1", target, "--mode", "learn", "-q");
            assertEquals(4, w.exitCode(), w.toString());
            assertEquals("inlay: not a directory: " + file + "\n", w.err());
        }
        Cli.Result intoFile = Cli.run(
                "deploy",
                "fargate",
                deploySample("fargate-orders.json"),
                "--suffix",
                "-inlay",
                "-o",
                file + "/task.json");
        assertEquals(4, intoFile.exitCode(), intoFile.toString());
        assertTrue(intoFile.err().endsWith("inlay: not a directory: " + file + "\n"), intoFile.err());
        Cli.Result generate = Cli.run("policy", "generate", missing.toString());
        assertEquals(4, generate.exitCode(), generate.toString());
        assertTrue(generate.err().contains("no such file or directory: " + missing), generate.err());
    }

    @Test
    void exitCodesAreTheDocumentedOnesEverywhere() throws IOException {
        String task = deploySample("fargate-orders.json");
        Path src = image();
        // a bad --mode is a bad command line (2) for wrap, deploy (every platform) and policy generate
        assertEquals(
                2,
                Cli.run("wrap", "oci:" + src + ":v1", "oci:" + tmp.resolve("o"), "--mode", "lurk")
                        .exitCode());
        for (String platform : List.of("fargate", "k8s", "aci", "cloudrun")) {
            Cli.Result r = Cli.run("deploy", platform, task, "--suffix", "-inlay", "--mode", "sometimes");
            assertEquals(2, r.exitCode(), r.toString());
            assertTrue(
                    r.err()
                            .startsWith(
                                    "inlay: --mode must be learn, monitor or enforce, got 'sometimes'\nUsage: inlay deploy "),
                    r.err());
        }
        assertEquals(2, Cli.run("policy", "generate", task, "--mode", "learn").exitCode());
        // --image-map is an option value (2); a bad line in --image-map-file is input (3)
        Cli.Result map = Cli.run("deploy", "fargate", task, "--image-map", "no-equals-sign");
        assertEquals(2, map.exitCode(), map.toString());
        Path mapFile = Files.writeString(tmp.resolve("images.txt"), "no-equals-sign\n");
        Cli.Result file = Cli.run("deploy", "fargate", task, "--image-map-file", mapFile.toString());
        assertEquals(3, file.exitCode(), file.toString());
        assertTrue(file.err().contains(mapFile + ":1"), file.err());
        // an unreadable --policy is I/O (4), one that does not parse is input (3): wrap, deploy, policy alike
        Path broken = Files.writeString(tmp.resolve("broken.yaml"), "apiVersion: inlay.dev/v1\nkind: Nope\n");
        assertEquals(
                3,
                Cli.run(
                                "wrap",
                                "oci:" + src + ":v1",
                                "oci:" + tmp.resolve("o"),
                                "--mode",
                                "monitor",
                                "--policy",
                                broken.toString())
                        .exitCode());
        assertEquals(
                4,
                Cli.run(
                                "deploy",
                                "fargate",
                                task,
                                "--suffix",
                                "-inlay",
                                "--policy-b64-from",
                                tmp.resolve("nope.yaml").toString())
                        .exitCode());
        assertEquals(3, Cli.run("policy", "validate", broken.toString()).exitCode());
        assertEquals(
                4,
                Cli.run("policy", "validate", tmp.resolve("nope.yaml").toString())
                        .exitCode());
    }

    @Test
    void usageErrorsAreTheProblemAndTheUsageLineNotTheWholeHelp() {
        Cli.Result missing = Cli.run("wrap");
        assertEquals(2, missing.exitCode());
        List<String> lines = missing.err().lines().toList();
        assertEquals("inlay: Missing required parameters: 'SOURCE', 'TARGET'", lines.get(0));
        assertTrue(lines.get(1).startsWith("Usage: inlay wrap "), missing.err());
        assertEquals("Try 'inlay wrap --help' for more information.", lines.get(lines.size() - 1));
        assertTrue(lines.size() <= 8, missing.err());
        assertFalse(missing.err().contains("Exit codes"), missing.err());

        Cli.Result typo = Cli.run("wrpa", "x");
        assertEquals(2, typo.exitCode());
        assertTrue(typo.err().startsWith("inlay: unknown command 'wrpa'\nDid you mean: inlay wrap"), typo.err());
        Cli.Result option = Cli.run("policy", "lint", "--jsn", "p.yaml");
        assertEquals(2, option.exitCode());
        assertTrue(
                option.err().contains("Did you mean: policy lint --json")
                        || option.err().contains("--json"),
                option.err());
    }

    @Test
    void deployEcsIsDeployFargate() {
        Cli.Result r = Cli.run("deploy", "ecs", deploySample("fargate-orders.json"), "--suffix", "-inlay");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("inlay deploy fargate: "), r.err());
    }

    @Test
    void helpHasWholeSentencesAndNoHardLineBreaksInDescriptions() {
        Cli.Result help = Cli.run("--help");
        assertEquals(0, help.exitCode());
        CommandLine root = Inlay.commandLine();
        List<String> problems = new ArrayList<>();
        check(root, problems);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        // the summary of each command in `inlay --help` is its whole first sentence
        for (CommandLine sub : root.getSubcommands().values()) {
            if (sub.getCommand() instanceof CommandLine.HelpCommand) continue;
            String first = sub.getCommandSpec().usageMessage().description()[0];
            String flat = help.out().replaceAll("\\s+", " ");
            assertTrue(flat.contains(first), first + " not whole in:\n" + help.out());
        }
    }

    /**
     * A description given as several elements prints each on its own line: every element but the last must end a
     * sentence, or the help has a line break in mid-sentence. A command's first element is its summary in the list.
     */
    private static void check(CommandLine cmd, List<String> problems) {
        var spec = cmd.getCommandSpec();
        String[] description = spec.usageMessage().description();
        if (description.length > 0 && !endsSentence(description[0])) {
            problems.add(spec.qualifiedName() + ": summary '" + description[0] + "'");
        }
        lines(spec.qualifiedName(), description, problems);
        for (var o : spec.options()) lines(spec.qualifiedName() + " " + o.longestName(), o.description(), problems);
        for (var p : spec.positionalParameters())
            lines(spec.qualifiedName() + " " + p.paramLabel(), p.description(), problems);
        for (CommandLine sub : cmd.getSubcommands().values()) {
            if (sub.getCommandSpec() != spec && !(sub.getCommand() instanceof CommandLine.HelpCommand))
                check(sub, problems);
        }
    }

    private static void lines(String where, String[] description, List<String> problems) {
        for (int i = 0; i < description.length - 1; i++) {
            if (!endsSentence(description[i])) problems.add(where + ": line break after '" + description[i] + "'");
        }
    }

    private static boolean endsSentence(String text) {
        String t = text.replace("%n", "").strip();
        return t.isEmpty() || t.endsWith(".") || t.endsWith(")") || t.endsWith(":");
    }

    @Test
    void bashCompletionCompletesCommandsAndAliases() throws Exception {
        Cli.Result script = Cli.run("completion", "bash");
        assertEquals(0, script.exitCode(), script.toString());
        Cli.Result zsh = Cli.run("completion", "zsh");
        assertEquals(0, zsh.exitCode());
        assertTrue(zsh.out().contains("bashcompinit"), "zsh loads bash completion");
        Path file = Files.writeString(tmp.resolve("inlay.bash"), script.out());
        Cli.requireTool(Cli.onPath("bash"), "bash");
        assertEquals("wrap", complete(file, "inlay", "wr"));
        assertEquals("ecs", complete(file, "inlay", "deploy", "ec"));
        assertTrue(complete(file, "inlay", "wrap", "--no-").contains("--no-baseline"));
    }

    /** What bash completes the last word to, through the generated script and bash's own completion machinery. */
    private String complete(Path script, String... words) throws Exception {
        String line = String.join(" ", words);
        String bash = "source " + script + "\n"
                + "COMP_WORDS=(" + line + "); COMP_CWORD=" + (words.length - 1) + "; COMP_LINE='" + line
                + "'; COMP_POINT=${#COMP_LINE}\n"
                + "_complete_inlay inlay '" + words[words.length - 1] + "' '" + words[words.length - 2] + "'\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process p = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", bash)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static String deploySample(String name) {
        try {
            return Path.of(CliContractTest.class.getResource("/deploy/" + name).toURI())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
