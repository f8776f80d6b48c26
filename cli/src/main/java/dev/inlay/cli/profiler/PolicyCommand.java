package dev.inlay.cli.profiler;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlay.cli.common.InputFiles;
import dev.inlay.cli.common.JsonOutput;
import dev.inlay.policy.Mode;
import dev.inlay.policy.Policy;
import dev.inlay.policy.PolicyException;
import dev.inlay.policy.PolicyParser;
import dev.inlay.policy.PolicyWriter;
import dev.inlay.policy.Rule;
import dev.inlay.profiler.Durations;
import dev.inlay.profiler.generate.PolicyGenerator;
import dev.inlay.profiler.profile.MergedProfile;
import dev.inlay.profiler.profile.Times;
import dev.inlay.profiler.review.PolicyDiff;
import dev.inlay.profiler.review.PolicyLinter;
import dev.inlay.profiler.review.PolicyPruner;
import dev.inlay.profiler.rollout.PromotionCheck;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code inlay policy}: generate a policy from profiles, and review policies (diff, lint, validate, prune). */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description = "Generate a policy from learned profiles; diff, lint, validate and prune policies.",
        subcommands = {
            PolicyCommand.Generate.class,
            PolicyCommand.Diff.class,
            PolicyCommand.Lint.class,
            PolicyCommand.Validate.class,
            PolicyCommand.Prune.class,
            PolicyCommand.PromoteCheck.class
        })
public final class PolicyCommand implements Runnable {
    /** Made on first use: {@code policy validate} and the other commands without {@code --json} never load Jackson. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand: generate, diff, lint, validate, prune or promote-check");
    }

    @Command(
            name = "generate",
            mixinStandardHelpOptions = true,
            description = {
                "Generate a least-privilege policy from profiles: what was observed is allowed, generalized "
                        + "where it varies (temporary names, numbers, UUIDs, hashes, the JDK's own files); everything else is "
                        + "denied. Rule comments carry the evidence."
            })
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "PROFILE", description = "profile files, directories, logs, or -")
        List<String> inputs;

        @Option(
                names = {"-o", "--output"},
                paramLabel = "FILE",
                description = "write here instead of standard output")
        Path output;

        @Option(names = "--name", defaultValue = "generated", description = "metadata.name (default: ${DEFAULT-VALUE})")
        String name;

        @Option(
                names = "--mode",
                defaultValue = "enforce",
                description = "enforce or monitor (default: ${DEFAULT-VALUE})")
        String mode;

        @Option(
                names = "--collapse",
                defaultValue = "" + PolicyGenerator.DEFAULT_COLLAPSE_THRESHOLD,
                paramLabel = "N",
                description =
                        "distinct read-only siblings, written names, commands on one directory's files, DNS names or "
                                + "classes before they collapse into one pattern (default: ${DEFAULT-VALUE})")
        int collapse;

        @Override
        public Integer call() throws IOException {
            Mode m = Mode.fromWire(mode);
            if (m != Mode.ENFORCE && m != Mode.MONITOR) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--mode must be enforce or monitor");
            }
            MergedProfile merged =
                    ProfileCommand.read(inputs, spec.commandLine().getErr());
            if (merged.notRecorded() > 0) {
                spec.commandLine()
                        .getErr()
                        .println(
                                "inlay: warning: the profile is incomplete: " + merged.notRecorded()
                                        + " operations were not recorded (the agent's maxBehaviors cap); the policy denies what they were");
            }
            if (merged.missingDocuments() > 0) {
                spec.commandLine()
                        .getErr()
                        .println("inlay: warning: the profile is incomplete: " + merged.missingDocuments()
                                + " profile documents are missing (gaps in a run's seq or chunk numbers); the policy denies what"
                                + " they held");
            }
            PolicyGenerator.Generated generated =
                    PolicyGenerator.generate(merged, new PolicyGenerator.Options(name, m, collapse));
            String yaml = generated.toYaml();
            try {
                PolicyParser.parse(yaml, "generated policy");
            } catch (PolicyException e) {
                throw new IllegalStateException("generated an invalid policy (a bug): " + e.getMessage(), e);
            }
            Outputs.writeText(output, spec.commandLine().getOut(), yaml);
            for (String warning : generated.warnings())
                spec.commandLine().getErr().println("inlay: warning: " + warning);
            spec.commandLine()
                    .getErr()
                    .println("inlay: " + generated.policy().rules().size() + " rules");
            return 0;
        }
    }

    @Command(
            name = "diff",
            mixinStandardHelpOptions = true,
            description = {
                "Show what changed from policy A to policy B: rules added, removed, widened, narrowed, "
                        + "action, default and mode changes. Exit 1 when B permits something A did not (a CI gate)."
            })
    static final class Diff implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "A", description = "the old policy")
        Path a;

        @Parameters(index = "1", paramLabel = "B", description = "the new policy")
        Path b;

        @Option(names = "--json", description = "One JSON object for machines.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            PolicyDiff.Result result = PolicyDiff.diff(parse(a), parse(b));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ObjectNode root = Json.MAPPER.createObjectNode();
                root.put("widens", result.widens());
                ArrayNode changes = root.putArray("changes");
                for (PolicyDiff.Change c : result.changes()) {
                    ObjectNode n = changes.addObject();
                    n.put("kind", c.kind().name().toLowerCase());
                    if (c.category() != null) n.put("category", c.category().yamlName());
                    if (c.ruleId() != null) n.put("rule", c.ruleId());
                    n.put("detail", c.detail());
                    n.put("widens", c.widens());
                }
                out.println(Json.MAPPER.writeValueAsString(root));
            } else {
                for (PolicyDiff.Change c : result.changes()) out.println(c.describe());
                out.println(
                        result.changes().isEmpty()
                                ? "no changes"
                                : result.widens() ? "B widens A (lines marked +)" : "B does not widen A");
            }
            out.flush();
            return result.widens() ? 1 : 0;
        }
    }

    @Command(
            name = "lint",
            mixinStandardHelpOptions = true,
            description = {
                "Check a policy for rules that are too broad, allow secrets, are shadowed by other rules or "
                        + "can never match. Exit 1 with findings, 0 when clean, 3 when it does not parse."
            })
    static final class Lint implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "POLICY")
        Path policy;

        @Option(names = "--json", description = "One JSON object for machines (docs/CLI.md).")
        boolean json;

        @Override
        public Integer call() throws Exception {
            List<PolicyLinter.Finding> findings = PolicyLinter.lint(parse(policy));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ObjectNode root = JsonOutput.object();
                root.put("policy", policy.toString());
                root.put("count", findings.size());
                ArrayNode list = root.putArray("findings");
                for (PolicyLinter.Finding f : findings) {
                    ObjectNode n = list.addObject();
                    n.put("kind", f.kind().name().toLowerCase().replace('_', '-'));
                    n.put("category", f.category().yamlName());
                    n.put("rule", f.ruleId());
                    n.put("message", f.message());
                }
                JsonOutput.print(out, root);
                return findings.isEmpty() ? 0 : 1;
            }
            for (PolicyLinter.Finding f : findings) out.println(policy + ": " + f.describe());
            out.println(findings.isEmpty() ? policy + ": clean" : policy + ": " + findings.size() + " findings");
            out.flush();
            return findings.isEmpty() ? 0 : 1;
        }
    }

    @Command(
            name = "validate",
            mixinStandardHelpOptions = true,
            description = "Parse a policy: exit 0 when it is valid, 3 with file:line:column and the problem when not.")
    static final class Validate implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "POLICY")
        Path policy;

        @Override
        public Integer call() throws Exception {
            Policy p = parse(policy);
            spec.commandLine()
                    .getOut()
                    .println(policy + ": valid (" + p.rules().size() + " rules, mode "
                            + p.mode().wireName() + ")");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(
            name = "prune",
            mixinStandardHelpOptions = true,
            description = {
                "Propose removing allow rules that matched nothing within the window, from the agent's "
                        + "\"hits\" lines (captured output or files). Prints the proposal; -o writes the pruned policy."
            })
    static final class Prune implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "POLICY")
        Path policy;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "HITS", description = "files holding hits lines")
        List<Path> hits;

        @Option(
                names = "--window",
                defaultValue = "7d",
                description = "how far back to look (default: ${DEFAULT-VALUE})")
        String window;

        @Option(
                names = {"-o", "--output"},
                paramLabel = "FILE",
                description = "write the pruned policy here")
        Path output;

        @Override
        public Integer call() throws Exception {
            java.time.Duration w = ProfileCommand.duration(spec, "--window", window);
            Policy p = parse(policy);
            PolicyPruner.Hits h = new PolicyPruner.Hits();
            for (Path file : hits) {
                InputFiles.requireFile(file);
                try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    h.read(r, file.toString());
                }
            }
            PolicyPruner.Proposal proposal = PolicyPruner.propose(p, h, w);
            PrintWriter out = spec.commandLine().getOut();
            out.println("window " + Times.format(proposal.windowStart()) + " .. " + Times.format(proposal.windowEnd()));
            for (String warning : proposal.warnings()) out.println("warning: " + warning);
            for (Rule r : proposal.removed()) {
                out.println("remove " + r.category().yamlName() + "/" + r.id() + ": no hits in " + Durations.format(w));
            }
            out.println(
                    proposal.removed().isEmpty()
                            ? "nothing to prune"
                            : proposal.removed().size() + " of " + p.rules().size() + " rules proposed for removal");
            out.flush();
            if (output != null) Outputs.writeText(output, out, PolicyWriter.toYaml(proposal.pruned()));
            return 0;
        }
    }

    @Command(
            name = "promote-check",
            mixinStandardHelpOptions = true,
            description = {
                "The gate before a candidate policy replaces the one in force: reads the agent's shadow and "
                        + "shadow-hits lines of the candidate (run with inlay wrap --shadow-policy or INLAY_SHADOW_POLICY; "
                        + "matched by its digest) from captured output. Exit 1 while the candidate would deny something the "
                        + "policy in force allowed, or one of its allow/alert rules was never exercised; 0 when clear; 3 "
                        + "when the inputs hold no evidence of this candidate (docs/DEPLOY.md)."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:clear to promote",
                "1:promotion blocked (printed)",
                "2:bad command line",
                "3:bad input (the candidate does not parse, no shadow-hits lines of it)",
                "4:a file cannot be read"
            })
    static final class PromoteCheck implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "CANDIDATE", description = "the candidate policy, as it was run")
        Path candidate;

        @Parameters(
                index = "1..*",
                arity = "1..*",
                paramLabel = "EVENTS",
                description = "captured agent output (files, kubectl logs, exports) or - for standard input")
        List<String> inputs;

        @Option(
                names = "--allow-unused",
                paramLabel = "RULE",
                description = "accept that this rule of the candidate had no hit (repeatable)")
        List<String> allowUnused = new java.util.ArrayList<>();

        @Option(
                names = "--json",
                description = "One JSON object for machines (docs/CLI.md); the exit code is the same.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            InputFiles.requireFile(candidate);
            byte[] bytes = PolicyParser.read(candidate);
            Policy p = PolicyParser.parse(new String(bytes, StandardCharsets.UTF_8), candidate.toString());
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (Rule r : p.rules()) ids.add(r.id());
            for (String rule : allowUnused) {
                if (!ids.contains(rule)) {
                    throw new CommandLine.ParameterException(
                            spec.commandLine(), "--allow-unused " + rule + ": the candidate has no rule of that id");
                }
            }
            for (String input : inputs) if (!input.equals("-")) InputFiles.requireFile(Path.of(input));
            PromotionCheck.Evidence evidence = new PromotionCheck.Evidence();
            for (String input : inputs) {
                if (input.equals("-")) {
                    evidence.read(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8), "standard input");
                    continue;
                }
                try (Reader r = Files.newBufferedReader(Path.of(input), StandardCharsets.UTF_8)) {
                    evidence.read(r, input);
                }
            }
            String digest = "sha256:"
                    + java.util.HexFormat.of()
                            .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                    .digest(bytes));
            PromotionCheck.Result result =
                    PromotionCheck.check(p, digest, evidence, new java.util.HashSet<>(allowUnused));
            PrintWriter out = spec.commandLine().getOut();
            long decisions =
                    result.hits().values().stream().mapToLong(Long::longValue).sum();
            if (json) {
                JsonOutput.print(out, promotionJson(p, result, decisions, evidence));
                return result.clear() ? 0 : 1;
            }
            out.println("candidate " + p.name() + " (" + digest + "): " + result.runs() + " runs, " + decisions
                    + " decisions");
            for (PromotionCheck.Denial d : result.blocking()) out.println("blocks: would deny " + d.describe());
            for (String rule : result.unexercised()) {
                out.println("blocks: never exercised: " + rule + " (accept with --allow-unused "
                        + rule.substring(rule.indexOf('/') + 1) + ")");
            }
            for (String rule : result.accepted())
                out.println("accepted: never exercised: " + rule + " (--allow-unused)");
            for (PromotionCheck.Denial d : result.deniedBoth()) {
                out.println("not blocking: denied now too: " + d.describe());
            }
            for (String rule : result.guards()) out.println("not blocking: guard without hits: " + rule);
            if (!result.otherDigests().isEmpty()) {
                out.println(
                        "warning: ignored evidence of other candidates: " + String.join(", ", result.otherDigests()));
            }
            if (evidence.malformed() > 0)
                out.println("warning: " + evidence.malformed() + " malformed shadow lines skipped");
            out.println(
                    result.clear()
                            ? "clear to promote"
                            : "promotion blocked: " + result.blocking().size() + " denials, "
                                    + result.unexercised().size() + " unexercised rules");
            out.flush();
            return result.clear() ? 0 : 1;
        }
    }

    /** The {@code promote-check --json} shape, documented in docs/CLI.md. */
    private static ObjectNode promotionJson(
            Policy p, PromotionCheck.Result result, long decisions, PromotionCheck.Evidence evidence) {
        ObjectNode root = JsonOutput.object();
        root.put("candidate", p.name());
        root.put("digest", result.digest());
        root.put("clear", result.clear());
        root.put("runs", result.runs());
        root.put("decisions", decisions);
        denials(root.putArray("blocking"), result.blocking());
        ArrayNode unexercised = root.putArray("unexercised");
        result.unexercised().forEach(unexercised::add);
        ArrayNode accepted = root.putArray("accepted");
        result.accepted().forEach(accepted::add);
        denials(root.putArray("deniedNow"), result.deniedBoth());
        ArrayNode guards = root.putArray("guards");
        result.guards().forEach(guards::add);
        ArrayNode others = root.putArray("otherDigests");
        result.otherDigests().forEach(others::add);
        root.put("malformed", evidence.malformed());
        return root;
    }

    private static void denials(ArrayNode into, List<PromotionCheck.Denial> denials) {
        for (PromotionCheck.Denial d : denials) {
            ObjectNode n = into.addObject();
            n.put("category", d.category());
            n.put("operation", d.operation());
            n.put("resource", d.resource());
            n.put("action", d.action());
            n.put("rule", d.rule());
            n.put("currentAction", d.currentAction());
            n.put("currentRule", d.currentRule());
            ArrayNode phases = n.putArray("phases");
            d.phases().forEach(phases::add);
            n.put("count", d.count());
        }
    }

    static Policy parse(Path file) throws PolicyException, IOException {
        InputFiles.requireFile(file); // missing or a directory: exit 4 with the path
        return PolicyParser.parse(file); // bounded: over the size limit it is refused before it is read
    }
}
