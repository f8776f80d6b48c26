package dev.inlay.cli.scan;

import dev.inlay.scanner.gate.Gate;
import dev.inlay.scanner.gate.Verdict;
import dev.inlay.scanner.report.JsonOutput;
import dev.inlay.scanner.report.SarifOutput;
import dev.inlay.scanner.report.ScanReport;
import dev.inlay.scanner.report.TableOutput;
import dev.inlay.scanner.runtime.Loaded;
import dev.inlay.scanner.runtime.RuntimeEvidence;
import dev.inlay.scanner.vuln.AdvisoryDatabase;
import dev.inlay.scanner.vuln.Scan;
import dev.inlay.scanner.vuln.ScanResult;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.model.Bom;
import org.cyclonedx.parsers.JsonParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code inlay scan SBOM --db PATH}: vulnerabilities of a CycloneDX SBOM's components, and the pipeline gate. */
@Command(
        name = "scan",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Match an SBOM's components against OSV advisories and apply a pipeline gate.",
            "The SBOM is CycloneDX JSON; the database a directory of OSV records and/or OSV's all.zip archives "
                    + "(see 'inlay db fetch'). Exit 1 when the gate trips: a finding at or above --fail-on that no ignore "
                    + "covers, or a denied licence."
        },
        footer = {"", "docs/SCAN.md describes matching, the ignore file and the outputs."})
public class ScanCommand implements Callable<Integer> {
    enum Format {
        table,
        json,
        sarif
    }

    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "SBOM|IMAGE",
            description =
                    "A CycloneDX JSON SBOM (inlay sbom writes one), or an image: inventoried as 'inlay sbom' does.")
    String input;

    @Option(
            names = "--db",
            required = true,
            paramLabel = "PATH",
            description =
                    "The OSV advisory database: a directory (of OSV JSON files and/or all.zip files), a zip or one record.")
    Path db;

    @Option(names = "--format", paramLabel = "table|json|sarif", description = "Output format (default: table).")
    Format format;

    @Option(names = "--json", description = "Same as --format json: one JSON object on stdout.")
    boolean json;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Write the output to FILE (atomically) instead of stdout.")
    Path output;

    @Option(
            names = "--runtime",
            arity = "1..*",
            paramLabel = "FILE",
            description =
                    "Captured agent output (its event stream) of runs of this image: each finding says whether its"
                            + " component's code was loaded (loaded: true, false or unknown), loaded findings first."
                            + " The gate is unchanged.")
    List<Path> runtime;

    @Mixin
    GateOptions gateOptions = new GateOptions();

    @Override
    public Integer call() throws IOException {
        Format f = format != null ? format : json ? Format.json : Format.table;
        if (json && format != null && format != Format.json) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--json and --format " + format + " exclude each other");
        }
        if (output != null && Files.isDirectory(output))
            throw new FileSystemException(output.toString(), null, "a directory, not a file");
        Bom bom = bom(input);
        Gate gate = gateOptions.gate(LocalDate.now());
        ScanResult result;
        try (AdvisoryDatabase database = AdvisoryDatabase.open(db)) {
            result = Scan.of(bom, database);
        }
        Map<String, Loaded> loaded = null;
        if (runtime != null) {
            for (Path file : runtime) {
                if (Files.isDirectory(file))
                    throw new FileSystemException(file.toString(), null, "a directory, not a file");
                if (!Files.exists(file)) throw new NoSuchFileException(file.toString());
            }
            loaded = RuntimeEvidence.read(runtime).judge(bom);
            result = RuntimeEvidence.rank(result, loaded);
        }
        Verdict verdict = gate.judge(result);
        ScanReport report = new ScanReport(input, db.toString(), result, verdict, loaded);
        int exit = verdict.tripped() ? 1 : 0;
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String document = switch (f) {
            case json -> JsonOutput.write(report) + "\n";
            case sarif -> SarifOutput.write(report, version(), exit) + "\n";
            case table -> null;
        };
        if (document == null) {
            if (output == null) {
                TableOutput.write(report, out, err);
            } else {
                java.io.StringWriter table = new java.io.StringWriter();
                TableOutput.write(report, new PrintWriter(table), err);
                writeFile(output, table.toString());
            }
        } else {
            if (output == null) {
                out.print(document);
                out.flush();
            } else {
                writeFile(output, document);
            }
            TableOutput.summary(report, err);
        }
        return exit;
    }

    /**
     * The components to scan: here, those of an SBOM file. The {@code inlay} command line's own {@code scan} also
     * takes an image, which only the instrumenter can read.
     */
    protected Bom bom(String input) throws IOException {
        return readBom(Path.of(input));
    }

    public static Bom readBom(Path file) throws IOException {
        if (Files.isDirectory(file)) throw new FileSystemException(file.toString(), null, "a directory, not a file");
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString());
        byte[] bytes = Files.readAllBytes(file);
        try {
            Bom bom = new JsonParser().parse(bytes);
            if (bom.getBomFormat() == null || !bom.getBomFormat().equals("CycloneDX")) {
                throw new ScanInputException(file + ": not a CycloneDX SBOM (bomFormat is not \"CycloneDX\")", null);
            }
            return bom;
        } catch (ParseException e) {
            String why = e.getCause() != null && e.getCause().getMessage() != null
                    ? e.getCause().getMessage()
                    : e.getMessage();
            int nl = why == null ? -1 : why.indexOf('\n');
            throw new ScanInputException(
                    file + ": not a CycloneDX JSON SBOM: " + (nl < 0 ? why : why.substring(0, nl)), e);
        }
    }

    private static void writeFile(Path file, String content) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (!Files.isDirectory(dir))
            throw new NoSuchFileException(file.toString(), null, "its directory " + dir + " does not exist");
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String version() {
        String v = ScanCommand.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
