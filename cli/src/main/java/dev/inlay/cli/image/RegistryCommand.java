package dev.inlay.cli.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlay.cli.InlayVersion;
import dev.inlay.cli.scan.GateOptions;
import dev.inlay.instrumenter.ship.RegistryScan;
import dev.inlay.instrumenter.transport.ImageStores;
import dev.inlay.instrumenter.transport.Progress;
import dev.inlay.instrumenter.transport.RegistryAccess;
import dev.inlay.scanner.vuln.AdvisoryDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code inlay registry}: what a registry holds. */
@Command(
        name = "registry",
        mixinStandardHelpOptions = true,
        description = "Work on everything a registry holds (the ship phase).",
        subcommands = RegistryCommand.ScanCommand.class)
public final class RegistryCommand {

    /** {@code inlay registry scan}: every tag inventoried and scanned, results kept by manifest digest. */
    @Command(
            name = "scan",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Inventory and scan every tag of a registry's repositories (or of the repositories or tags named), "
                        + "keeping the results by manifest digest in --state: a later run reads no image it has seen, rescans "
                        + "the kept SBOMs against the advisory database given, and reports only what changed (new and fixed "
                        + "findings). Writes each image's gate verdict for 'inlay admission serve --scan-verdicts STATE/verdicts'.",
                "Exit 1 when an image fails the gate, 0 otherwise."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:every image passed the gate",
                "1:an image failed the gate",
                "2:bad command line",
                "3:bad input (a malformed advisory, an image that is not one)",
                "4:file or registry failure"
            },
            footer = {"", "docs/SCAN.md, \"Ship phase\"."})
    static final class ScanCommand implements Callable<Integer> {
        @Parameters(
                paramLabel = "HOST[:PORT][/REPO[:TAG]]",
                arity = "1..*",
                description = "A registry (every repository, from its catalog), a repository (every tag) or one tag.")
        List<String> targets;

        @Option(
                names = "--db",
                required = true,
                paramLabel = "PATH",
                description = "The OSV advisory database (as for 'inlay scan').")
        Path db;

        @Option(
                names = "--state",
                required = true,
                paramLabel = "DIR",
                description =
                        "Where results are kept by manifest digest (sboms/, findings/, verdicts/); created when missing.")
        Path state;

        @Option(
                names = "--json",
                description =
                        "One JSON document on stdout: every image with its findings, what is new and what was fixed.")
        boolean json;

        @Mixin
        GateOptions gateOptions = new GateOptions();

        @Mixin
        RegistryOptions registry;

        @Mixin
        LayerCacheOptions layerCache;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            List<RegistryScan.Target> parsed = new ArrayList<>();
            for (String t : targets) parsed.add(RegistryScan.Target.parse(t)); // a bad one: exit 3, its message
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            RegistryAccess access = registry.access();
            Progress progress = Progress.forTerminal(true);
            List<RegistryScan.ImageResult> results = new ArrayList<>();
            try (AdvisoryDatabase database = AdvisoryDatabase.open(db);
                    ImageStores stores = new ImageStores(access, progress)) {
                RegistryScan scan = new RegistryScan(
                        stores,
                        access,
                        state,
                        database,
                        gateOptions.gate(LocalDate.now()),
                        layerCache.cache(),
                        progress,
                        InlayVersion.version());
                for (RegistryScan.Target target : parsed) {
                    for (String reference : scan.references(target)) {
                        RegistryScan.ImageResult r = scan.scan(reference);
                        results.add(r);
                        if (!json) out.println(line(r));
                        out.flush();
                    }
                }
            }
            int failed = 0;
            int read = 0;
            int added = 0;
            int fixed = 0;
            for (RegistryScan.ImageResult r : results) {
                if (!r.verdict().passed()) failed++;
                if (r.read()) read++;
                added += r.added().size();
                fixed += r.fixed().size();
            }
            if (json) {
                out.println(document(results));
                out.flush();
            }
            if (!registry.quiet) {
                err.println("inlay: registry scan: " + results.size() + " images (" + read + " inventoried, "
                        + (results.size() - read) + " from " + state + "), " + added + " new findings, " + fixed
                        + " fixed, " + failed + " failing the gate");
            }
            return failed > 0 ? 1 : 0;
        }

        private static String line(RegistryScan.ImageResult r) {
            StringBuilder s = new StringBuilder();
            s.append(r.verdict().passed() ? "passed " : "FAILED ")
                    .append(r.reference())
                    .append(' ')
                    .append(r.digest())
                    .append(": ")
                    .append(r.findings().size())
                    .append(" findings");
            if (!r.added().isEmpty()) s.append("; new: ").append(String.join(", ", r.added()));
            if (!r.fixed().isEmpty()) s.append("; fixed: ").append(String.join(", ", r.fixed()));
            return s.toString();
        }

        private static String document(List<RegistryScan.ImageResult> results) throws IOException {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode();
            ArrayNode images = root.putArray("images");
            for (RegistryScan.ImageResult r : results) {
                ObjectNode i = images.addObject();
                i.put("reference", r.reference());
                i.put("digest", r.digest());
                i.put("inventoried", r.read());
                i.put("passed", r.verdict().passed());
                r.verdict().reasons().forEach(i.withArray("reasons")::add);
                r.findings().forEach(i.withArray("findings")::add);
                r.added().forEach(i.withArray("new")::add);
                r.fixed().forEach(i.withArray("fixed")::add);
            }
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        }
    }
}
