package dev.inlay.scanner.report;

import com.contrastsecurity.sarif.ArtifactLocation;
import com.contrastsecurity.sarif.Invocation;
import com.contrastsecurity.sarif.Location;
import com.contrastsecurity.sarif.LogicalLocation;
import com.contrastsecurity.sarif.Message;
import com.contrastsecurity.sarif.MultiformatMessageString;
import com.contrastsecurity.sarif.PartialFingerprints;
import com.contrastsecurity.sarif.PhysicalLocation;
import com.contrastsecurity.sarif.PropertyBag;
import com.contrastsecurity.sarif.ReportingConfiguration;
import com.contrastsecurity.sarif.ReportingDescriptor;
import com.contrastsecurity.sarif.Result;
import com.contrastsecurity.sarif.Run;
import com.contrastsecurity.sarif.SarifSchema210;
import com.contrastsecurity.sarif.Suppression;
import com.contrastsecurity.sarif.Tool;
import com.contrastsecurity.sarif.ToolComponent;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.inlay.scanner.gate.Verdict;
import dev.inlay.scanner.runtime.RuntimeEvidence;
import dev.inlay.scanner.vuln.Finding;
import dev.inlay.scanner.vuln.Severity;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SARIF 2.1.0 for code-scanning UIs: one rule per advisory (its ids, summary, references, and GitHub's
 * {@code security-severity} score), one result per finding located at the SBOM file with the component's purl as a
 * logical location; ignored findings carry an external, accepted suppression with the ignore's reason; components
 * under a denied licence are results of the rule {@code inlay/denied-licence}.
 */
public final class SarifOutput {
    static final String LICENCE_RULE = "inlay/denied-licence";
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_EMPTY)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private SarifOutput() {}

    public static String write(ScanReport report, String toolVersion, int exitCode) {
        Map<String, ReportingDescriptor> rules = new LinkedHashMap<>();
        List<Result> results = new ArrayList<>();
        Verdict v = report.verdict();
        for (Finding f : report.scan().findings()) {
            rules.computeIfAbsent(f.id(), id -> rule(f));
            String text = f.component().label() + " is affected by " + String.join(" / ", f.ids())
                    + (f.summary() == null ? "" : ": " + f.summary())
                    + (f.fixed().isEmpty()
                            ? " (no fixed version known)"
                            : " (fixed in " + String.join(", ", f.fixed()) + ")");
            Result r = new Result()
                    .withRuleId(f.id())
                    .withLevel(level(f.severity()))
                    .withMessage(new Message().withText(text))
                    .withLocations(List.of(location(
                            report.target(), f.component().purl(), f.component().label())))
                    .withPartialFingerprints(new PartialFingerprints()
                            .withAdditionalProperty("inlay/component-advisory/v1", f.id() + "|" + key(f)));
            if (report.loaded() != null) {
                // With --runtime: whether the component's code was loaded in the runs read (docs/SCAN.md).
                PropertyBag loaded = new PropertyBag();
                loaded.setAdditionalProperty(
                        "inlay-loaded", RuntimeEvidence.of(report.loaded(), f).label());
                r.setProperties(loaded);
            }
            for (Verdict.Ignored i : v.ignored()) {
                if (i.finding() == f) {
                    r.setSuppressions(Set.of(new Suppression()
                            .withKind(Suppression.Kind.EXTERNAL)
                            .withStatus(Suppression.Status.ACCEPTED)
                            .withJustification(i.ignore().reason()
                                    + (i.ignore().until() == null
                                            ? ""
                                            : " (until " + i.ignore().until() + ")"))));
                }
            }
            results.add(r);
        }
        for (Verdict.LicenceViolation l : v.licences()) {
            rules.computeIfAbsent(
                    LICENCE_RULE,
                    id -> new ReportingDescriptor()
                            .withId(id)
                            .withName("DeniedLicence")
                            .withShortDescription(
                                    new MultiformatMessageString().withText("A component under a denied licence"))
                            .withDefaultConfiguration(
                                    new ReportingConfiguration().withLevel(ReportingConfiguration.Level.ERROR)));
            results.add(new Result()
                    .withRuleId(LICENCE_RULE)
                    .withLevel(Result.Level.ERROR)
                    .withMessage(new Message()
                            .withText(l.component().label() + " is under " + l.licence() + ", and " + l.deniedId()
                                    + " is denied"))
                    .withLocations(List.of(location(
                            report.target(), l.component().purl(), l.component().label()))));
        }
        ToolComponent driver = new ToolComponent()
                .withName("inlay")
                .withVersion(toolVersion)
                .withRules(new LinkedHashSet<>(rules.values()));
        Run run = new Run()
                .withTool(new Tool().withDriver(driver))
                .withInvocations(
                        List.of(new Invocation().withExecutionSuccessful(true).withExitCode(exitCode)))
                .withResults(results);
        SarifSchema210 log = new SarifSchema210()
                .with$schema(URI.create("https://json.schemastore.org/sarif-2.1.0.json"))
                .withVersion(SarifSchema210.Version._2_1_0)
                .withRuns(List.of(run));
        try {
            return MAPPER.writeValueAsString(log);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the SARIF model cannot be written", e);
        }
    }

    private static String key(Finding f) {
        return f.component().purl() != null
                ? f.component().purl()
                : f.component().label();
    }

    private static ReportingDescriptor rule(Finding f) {
        String summary = f.summary() == null ? f.id() + " in " + f.name() : f.summary();
        PropertyBag props = new PropertyBag().withTags(new LinkedHashSet<>(List.of("security", "vulnerability")));
        if (f.rating().score() != null)
            props.setAdditionalProperty(
                    "security-severity", String.valueOf(f.rating().score()));
        else {
            String approx = switch (f.severity()) {
                case CRITICAL -> "9.0";
                case HIGH -> "7.0";
                case MEDIUM -> "4.0";
                case LOW -> "0.1";
                default -> null;
            };
            if (approx != null) props.setAdditionalProperty("security-severity", approx);
        }
        props.setAdditionalProperty("severity", f.severity().label());
        props.setAdditionalProperty("ids", f.ids());
        if (f.rating().vector() != null)
            props.setAdditionalProperty("cvss", f.rating().vector());
        ReportingDescriptor r = new ReportingDescriptor()
                .withId(f.id())
                .withName(f.id())
                .withShortDescription(new MultiformatMessageString().withText(summary))
                .withFullDescription(
                        new MultiformatMessageString().withText(String.join(", ", f.ids()) + ": " + summary))
                .withDefaultConfiguration(new ReportingConfiguration()
                        .withLevel(ReportingConfiguration.Level.fromValue(
                                level(f.severity()).value())))
                .withProperties(props);
        for (String ref : f.references()) {
            try {
                URI u = URI.create(ref);
                if (u.isAbsolute()) {
                    r.setHelpUri(u);
                    break;
                }
            } catch (IllegalArgumentException ignored) {
                // a reference that is no URI is left out
            }
        }
        return r;
    }

    private static Location location(String target, String purl, String label) {
        return new Location()
                .withPhysicalLocation(
                        new PhysicalLocation().withArtifactLocation(new ArtifactLocation().withUri(uri(target))))
                .withLogicalLocations(Set.of(new LogicalLocation()
                        .withName(label)
                        .withFullyQualifiedName(purl == null ? label : purl)
                        .withKind("module")));
    }

    /** The target as a URI reference: a relative path stays relative, characters a URI may not hold are escaped. */
    private static String uri(String target) {
        try {
            return new URI(null, null, target, null).toASCIIString();
        } catch (java.net.URISyntaxException e) {
            return target.replace(" ", "%20");
        }
    }

    private static Result.Level level(Severity s) {
        return switch (s) {
            case CRITICAL, HIGH -> Result.Level.ERROR;
            case MEDIUM -> Result.Level.WARNING;
            default -> Result.Level.NOTE;
        };
    }
}
