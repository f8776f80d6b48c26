package dev.inlay.cli.profiler;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlay.cli.common.JsonOutput;
import dev.inlay.policy.Category;
import dev.inlay.profiler.Durations;
import dev.inlay.profiler.ProfilerInputException;
import dev.inlay.profiler.profile.MergedProfile;
import dev.inlay.profiler.profile.MergedProfileWriter;
import dev.inlay.profiler.profile.ProfileReader;
import dev.inlay.profiler.profile.ProfileStats;
import dev.inlay.profiler.profile.Times;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code inlay profile}: merge learned profiles and judge how complete learning is. */
@Command(
        name = "profile",
        mixinStandardHelpOptions = true,
        description = "Merge learned profiles and check how complete learning is.",
        subcommands = {ProfileCommand.Merge.class, ProfileCommand.Stats.class})
public final class ProfileCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: merge or stats");
    }

    /** A duration typed on the command line: a bad one is a bad command line (exit 2), like any bad option value. */
    static Duration duration(CommandLine.Model.CommandSpec spec, String option, String text) {
        try {
            return Durations.parse(text);
        } catch (ProfilerInputException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + e.getMessage(), e);
        }
    }

    static MergedProfile read(List<String> inputs, PrintWriter err) throws IOException {
        MergedProfile merged = new MergedProfile();
        ProfileReader.readAll(inputs, System.in, merged);
        err.println("inlay: " + merged.counters().summary());
        if (merged.isEmpty()) {
            throw new ProfilerInputException("no inlay profile documents in " + String.join(", ", inputs));
        }
        return merged;
    }

    @Command(
            name = "merge",
            mixinStandardHelpOptions = true,
            description = {
                "Merge profile documents into one merged profile document.",
                "Inputs are profile files, directories (read recursively), captured container output "
                        + "(kubectl logs, CloudWatch exports) or - for standard input."
            })
    static final class Merge implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "INPUT", description = "profile files, directories, logs, or -")
        List<String> inputs;

        @Option(
                names = {"-o", "--output"},
                paramLabel = "OUT",
                description = "write here instead of standard output")
        Path output;

        @Override
        public Integer call() throws IOException {
            MergedProfile merged = read(inputs, spec.commandLine().getErr());
            if (merged.missingDocuments() > 0) {
                spec.commandLine()
                        .getErr()
                        .println("inlay: warning: " + merged.missingDocuments() + " profile documents"
                                + " are missing from the runs read (gaps in their seq or chunk numbers); the merged profile does"
                                + " not carry this: check the inputs with profile stats");
            }
            if (merged.notRecorded() > 0) {
                spec.commandLine()
                        .getErr()
                        .println("inlay: warning: the profile is incomplete: " + merged.notRecorded()
                                + " operations were not recorded (the agent's maxBehaviors cap)");
            }
            Outputs.write(output, spec.commandLine().getOut(), out -> MergedProfileWriter.write(merged, out));
            return 0;
        }
    }

    @Command(
            name = "stats",
            mixinStandardHelpOptions = true,
            description = {
                "Show how complete learning is: distinct behaviors per category, time since the last new "
                        + "behavior, runs and replicas. With --require-quiet or --min-runs it is a CI gate (exit 1 when not met, "
                        + "and when the agent could not record everything it saw)."
            })
    static final class Stats implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "PROFILE", description = "profile files, directories, logs, or -")
        List<String> inputs;

        @Option(
                names = "--require-quiet",
                paramLabel = "DURATION",
                description = "fail unless no new behavior appeared for this long (30m, 12h, 7d)")
        String requireQuiet;

        @Option(names = "--min-runs", paramLabel = "N", description = "fail unless at least N runs contributed")
        Integer minRuns;

        @Option(names = "--json", description = "One JSON object for machines (docs/CLI.md).")
        boolean json;

        @Override
        public Integer call() throws IOException {
            Duration quietNeeded = requireQuiet == null ? null : duration(spec, "--require-quiet", requireQuiet);
            PrintWriter out = spec.commandLine().getOut();
            ProfileStats stats = ProfileStats.of(read(inputs, spec.commandLine().getErr()));
            if (json) return json(stats, quietNeeded, out);
            out.println("documents:          " + stats.documents());
            out.println("distinct behaviors: " + stats.distinctBehaviors());
            for (Map.Entry<Category, Integer> e : stats.perCategory().entrySet()) {
                out.printf("  %-17s %d%n", e.getKey().wireName() + ":", e.getValue());
            }
            out.println("runs:               " + stats.runs());
            out.println("replicas:           " + stats.replicas());
            if (stats.newestFirstSeen() != Long.MIN_VALUE) {
                out.println("last new behavior:  " + Times.format(stats.newestFirstSeen()));
            }
            if (stats.newestWritten() != Long.MIN_VALUE)
                out.println("newest document:    " + Times.format(stats.newestWritten()));
            out.println("quiet for:          " + Durations.format(stats.quiet()));
            if (stats.summaries() > 0) {
                out.println("summarized:         " + stats.summaries()
                        + " directories recorded as dir/* or dir/** by the agent");
            }
            if (stats.notRecorded() > 0) {
                out.println("INCOMPLETE:         " + stats.notRecorded()
                        + " operations not recorded (the agent's maxBehaviors"
                        + " cap); a policy from this profile denies behaviors the application has");
            }
            if (stats.missingDocuments() > 0) {
                out.println("INCOMPLETE:         " + stats.missingDocuments()
                        + " profile documents missing (gaps in a run's"
                        + " seq or chunk numbers: lost on the way, such as by a failing sink)");
            }
            int code = 0;
            if (quietNeeded != null && stats.quiet().compareTo(quietNeeded) < 0) {
                out.println("NOT MET: quiet for " + Durations.format(stats.quiet()) + ", required "
                        + Durations.format(quietNeeded));
                code = 1;
            }
            if (minRuns != null && stats.runs() < minRuns) {
                out.println("NOT MET: " + stats.runs() + " runs, required " + minRuns);
                code = 1;
            }
            if ((quietNeeded != null || minRuns != null) && !stats.complete()) {
                out.println("NOT MET: incomplete: " + stats.notRecorded() + " operations not recorded, "
                        + stats.missingDocuments() + " documents missing");
                code = 1;
            }
            out.flush();
            return code;
        }

        private int json(ProfileStats stats, Duration quietNeeded, PrintWriter out) {
            ObjectNode root = JsonOutput.object();
            root.put("documents", stats.documents());
            root.put("distinctBehaviors", stats.distinctBehaviors());
            ObjectNode perCategory = root.putObject("perCategory");
            for (Map.Entry<Category, Integer> e : stats.perCategory().entrySet()) {
                perCategory.put(e.getKey().wireName(), e.getValue());
            }
            root.put("runs", stats.runs());
            root.put("replicas", stats.replicas());
            if (stats.newestFirstSeen() != Long.MIN_VALUE)
                root.put("lastNewBehavior", Times.format(stats.newestFirstSeen()));
            if (stats.newestWritten() != Long.MIN_VALUE)
                root.put("newestDocument", Times.format(stats.newestWritten()));
            root.put("quietSeconds", stats.quiet().toSeconds());
            ArrayNode notMet = root.putArray("notMet");
            if (quietNeeded != null && stats.quiet().compareTo(quietNeeded) < 0) {
                notMet.add(
                        "quiet for " + Durations.format(stats.quiet()) + ", required " + Durations.format(quietNeeded));
            }
            if (minRuns != null && stats.runs() < minRuns) notMet.add(stats.runs() + " runs, required " + minRuns);
            JsonOutput.print(out, root);
            return notMet.isEmpty() ? 0 : 1;
        }
    }
}
