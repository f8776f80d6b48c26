package dev.inlay.cli.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlay.cli.InlayVersion;
import dev.inlay.cli.InputException;
import dev.inlay.cli.common.InputFiles;
import dev.inlay.cli.common.JsonOutput;
import dev.inlay.instrumenter.image.Image;
import dev.inlay.instrumenter.image.ImageArtifact;
import dev.inlay.instrumenter.image.Layer;
import dev.inlay.instrumenter.transport.ArchiveTargets;
import dev.inlay.instrumenter.transport.ImageLocation;
import dev.inlay.instrumenter.transport.ImageStores;
import dev.inlay.instrumenter.transport.Progress;
import dev.inlay.instrumenter.transport.TransferStats;
import dev.inlay.instrumenter.wrap.AgentJar;
import dev.inlay.instrumenter.wrap.ImageGate;
import dev.inlay.instrumenter.wrap.PolicyDocument;
import dev.inlay.instrumenter.wrap.WrapOptions;
import dev.inlay.instrumenter.wrap.Wrapper;
import dev.inlay.model.AgentFlag;
import dev.inlay.policy.Mode;
import dev.inlay.policy.PolicyException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(
        name = "wrap",
        mixinStandardHelpOptions = true,
        description = {
            "Add the inlay agent to a JVM image.",
            "The original image plus one layer under /opt/inlay/, with the option that loads the agent appended to"
                    + " JDK_JAVA_OPTIONS (-agentlib:instrument=) or JAVA_TOOL_OPTIONS (-javaagent:), see --agent-flag. "
                    + "Wrapping a wrapped image replaces its inlay layer.",
            "SOURCE and TARGET: registry://HOST[:PORT]/REPO[:TAG], HOST/REPO[:TAG], docker-archive:PATH[:REF], "
                    + "oci:DIR[:REF], oci-archive:PATH[:REF]."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:wrapped",
            "2:bad command line",
            "3:bad input (no JVM, bad policy, corrupt or hostile image, "
                    + "monitor or enforce without --policy, an image --startup-archive cannot serve)",
            "4:file or registry failure"
        })
public final class WrapCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SOURCE", description = "The image to wrap.")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET", description = "Where to write the wrapped image.")
    String target;

    @Option(
            names = "--mode",
            required = true,
            paramLabel = "learn|monitor|enforce",
            description = "Agent mode recorded in the image.")
    String mode;

    @Option(
            names = "--policy",
            paramLabel = "FILE",
            description = "Policy to embed as /opt/inlay/policy.yaml, "
                    + "compiled into inlay.properties (validated first). Required for monitor and enforce.")
    Path policy;

    @Option(
            names = "--shadow-policy",
            paramLabel = "FILE",
            description = "A candidate policy to run beside --policy in"
                    + " monitor: what it would deny is reported as shadow events, its rule hits as shadow-hits lines, for"
                    + " 'inlay policy promote-check' (docs/DEPLOY.md). Embedded as /opt/inlay/shadow-policy.yaml, compiled and"
                    + " pinned like the policy; monitor or enforce only.")
    Path shadowPolicy;

    @Option(
            names = "--no-baseline",
            description = "Do not read the layers: no drift baseline, no JDK classes hooked "
                    + "ahead of time (the agent hooks them at startup), and the JVM check uses the config only."
                    + " Registry to the same registry then moves no layer bytes at all.")
    boolean noBaseline;

    @Option(
            names = "--startup-archive",
            description = {
                "Also add a class data sharing archive of the image's JDK (JDK 23+) made for starts"
                        + " with the agent: with -javaagent (a module launch) it keeps the archived module graph, ~30-45 ms"
                        + " less per JVM start; with -agentlib:instrument= the JDK's own archive keeps it and this one"
                        + " saves ~1 ms (docs/BENCHMARKS.md). Runs the image's JVM on this machine"
                        + " (same OS and architecture), with an empty environment (docs/SECURITY.md)."
            })
    boolean startupArchive;

    @Option(
            names = "--agent-flag",
            paramLabel = "auto|agentlib|javaagent",
            defaultValue = "auto",
            description = {
                "How the image loads the agent (docs/WRAPPING.md, \"How the agent is loaded\"): agentlib"
                        + " (-agentlib:instrument= in JDK_JAVA_OPTIONS, the JDK's archived module graph kept: tens of ms"
                        + " less per start) serves class-path and -jar launches; javaagent (-javaagent: in"
                        + " JAVA_TOOL_OPTIONS) serves every launch, also -m and --module-path. auto (default): agentlib"
                        + " when the entrypoint and cmd are read to a java command line and no module option is seen in"
                        + " them, their scripts or the environment; else javaagent."
            })
    String agentFlag;

    @Option(
            names = "--scan-db",
            paramLabel = "PATH",
            description = {
                "Refuse to wrap an image whose inventory fails the scan gate (exit 1, nothing written): matched "
                        + "against this OSV advisory database, with --fail-on, --ignore, --ignore-file, --deny-licence as for 'inlay scan'.",
                "The inventory is the SBOM wrap takes in its one pass over the layers (not with --no-baseline)."
            })
    Path scanDb;

    @Mixin
    dev.inlay.cli.scan.GateOptions gateOptions = new dev.inlay.cli.scan.GateOptions();

    @Option(
            names = "--force",
            description =
                    "Wrap even when the image has no JVM, and replace an existing archive TARGET that inlay did not write.")
    boolean force;

    @Option(
            names = "--json",
            description = "Print one JSON object (the wrapped reference and digest, inlay layer digests, "
                    + "counts) instead of the digest (docs/CLI.md).")
    boolean json;

    @Mixin
    RegistryOptions registry;

    @Mixin
    LayerCacheOptions layerCache;

    @Mixin
    RegistryOptions.TransferAuthOptions transferAuth;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, PolicyException {
        Mode m = Mode.fromWire(mode);
        if (m == null)
            throw new ParameterException(spec.commandLine(), "--mode must be learn, monitor or enforce, not " + mode);
        if (startupArchive && noBaseline) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--startup-archive reads the image's JDK from its layers; it cannot go with --no-baseline");
        }
        AgentFlag flag;
        try {
            flag = agentFlag.equals("auto") ? null : AgentFlag.fromWireName(agentFlag);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(
                    spec.commandLine(), "--agent-flag must be auto, agentlib or javaagent, not " + agentFlag);
        }
        if (m != Mode.LEARN && policy == null)
            throw new InputException("--mode " + m.wireName() + " needs --policy FILE: the agent decides by a policy");
        PolicyDocument policyDocument = null;
        if (policy != null) {
            // Read and parsed once (bounded by the parser's size limit): what was validated is what is baked.
            InputFiles.requireFile(policy); // missing or a directory: exit 4 with the path
            policyDocument = PolicyDocument.read(policy);
        }
        PolicyDocument shadowDocument = null;
        if (shadowPolicy != null) {
            if (m == Mode.LEARN) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--shadow-policy needs --mode monitor or enforce: in"
                                + " learn mode nothing is decided, so a candidate has nothing to stand beside");
            }
            InputFiles.requireFile(shadowPolicy);
            shadowDocument = PolicyDocument.read(shadowPolicy);
        }
        ImageLocation from = ImageLocation.parse(source);
        ImageLocation to = ImageLocation.parse(target);
        ArchiveTargets.checkOverwrite(to, force);
        if (scanDb == null && gateOptions.anyGiven()) {
            throw new ParameterException(spec.commandLine(), "the gate options need --scan-db PATH");
        }
        if (scanDb != null && !gateOptions.canTrip()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--scan-db needs --fail-on SEVERITY or --deny-licence SPDX-ID: a gate that cannot trip refuses nothing");
        }
        if (scanDb != null && noBaseline) {
            throw new ParameterException(spec.commandLine(), "--scan-db needs the layers read: not with --no-baseline");
        }
        try (dev.inlay.scanner.vuln.AdvisoryDatabase advisories =
                scanDb == null ? null : dev.inlay.scanner.vuln.AdvisoryDatabase.open(scanDb)) {
            return wrap(
                    m,
                    policyDocument,
                    shadowDocument,
                    from,
                    to,
                    flag,
                    advisories == null
                            ? null
                            : new ScanGate(
                                    advisories,
                                    scanDb.toString(),
                                    gateOptions.gate(java.time.LocalDate.now()),
                                    spec.commandLine().getErr()));
        } catch (ImageGate.Refused refused) {
            spec.commandLine().getErr().println("inlay: wrap refused: " + refused.getMessage());
            return 1;
        }
    }

    private int wrap(
            Mode m,
            PolicyDocument policyDocument,
            PolicyDocument shadowDocument,
            ImageLocation from,
            ImageLocation to,
            AgentFlag flag,
            ImageGate gate)
            throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        WrapOptions options = new WrapOptions(
                m,
                policyDocument,
                !noBaseline,
                force,
                AgentJar.load(),
                InlayVersion.version(),
                startupArchive,
                shadowDocument,
                layerCache.cache(),
                gate,
                flag);
        Progress progress = Progress.forTerminal(registry.quiet);
        List<String> warnings = new ArrayList<>();
        try (ImageStores stores = new ImageStores(registry.access(transferAuth), progress)) {
            ImageArtifact original = stores.read(from, registry.platform);
            ImageArtifact wrapped = Wrapper.wrap(
                    original,
                    options,
                    w -> {
                        warnings.add(w);
                        err.println("WARNING: " + w);
                    },
                    progress);
            String digest = stores.write(to, wrapped);
            if (!registry.quiet)
                err.println("inlay: wrapped " + source + " -> " + target + " (" + m.wireName() + ", agent loaded with "
                        + agentOptions(wrapped) + "); " + stores.stats());
            if (json)
                JsonOutput.print(
                        spec.commandLine().getOut(),
                        report(to, m, original, wrapped, digest, warnings, stores.stats()));
            else spec.commandLine().getOut().println(digest);
        }
        return 0;
    }

    /** The agent option each platform's JAVA_TOOL_OPTIONS loads the agent with, each named once. */
    private static String agentOptions(ImageArtifact wrapped) {
        java.util.Set<String> options = new java.util.LinkedHashSet<>();
        for (Image i : InspectCommand.images(wrapped))
            options.add(
                    AgentFlag.fromWireName(i.label(Wrapper.LABEL_AGENT_FLAG)).prefix());
        return String.join(" / ", options);
    }

    /** {@code --scan-db}: the inventory scanned against the advisories, the table on stderr, refused when the gate trips. */
    private record ScanGate(
            dev.inlay.scanner.vuln.AdvisoryDatabase advisories,
            String database,
            dev.inlay.scanner.gate.Gate gate,
            PrintWriter err)
            implements ImageGate {
        @Override
        public void check(String imageDigest, byte[] sbom) throws IOException {
            org.cyclonedx.model.Bom bom;
            try {
                bom = new org.cyclonedx.parsers.JsonParser().parse(sbom);
            } catch (org.cyclonedx.exception.ParseException e) {
                throw new IllegalStateException("wrap's own SBOM does not parse: " + e, e);
            }
            dev.inlay.scanner.vuln.ScanResult result = dev.inlay.scanner.vuln.Scan.of(bom, advisories);
            dev.inlay.scanner.gate.Verdict verdict = gate.judge(result);
            dev.inlay.scanner.report.ScanReport report =
                    new dev.inlay.scanner.report.ScanReport(imageDigest, database, result, verdict);
            dev.inlay.scanner.report.TableOutput.write(report, err, err);
            err.flush();
            if (verdict.tripped()) {
                throw new ImageGate.Refused(imageDigest + " fails the scan gate: "
                        + String.join(
                                "; ",
                                dev.inlay.scanner.gate.ScanVerdict.of(imageDigest, verdict, "wrap")
                                        .reasons()));
            }
        }
    }

    /** The {@code --json} shape, documented in docs/CLI.md. */
    private ObjectNode report(
            ImageLocation to,
            Mode m,
            ImageArtifact original,
            ImageArtifact wrapped,
            String digest,
            List<String> warnings,
            TransferStats stats) {
        ObjectNode root = JsonOutput.object();
        root.put("source", source);
        root.put("target", target);
        root.put("reference", to.kind() == ImageLocation.Kind.REGISTRY ? to.repository() + "@" + digest : target);
        root.put("digest", digest);
        root.put("mediaType", wrapped.mediaType());
        root.put("originalDigest", original.digest());
        root.put("mode", m.wireName());
        ArrayNode platforms = root.putArray("platforms");
        for (Image i : InspectCommand.images(wrapped)) {
            ObjectNode p = platforms.addObject();
            p.put("platform", i.platform());
            p.put("manifestDigest", i.digest());
            p.put("configDigest", i.configDigest());
            p.put("layers", i.layers().size());
            Layer inlay = i.layers().get(i.layers().size() - 1);
            p.put("inlayLayerDigest", inlay.digest());
            p.put("inlayLayerSize", inlay.size());
            p.put("policyDigest", i.label(Wrapper.LABEL_POLICY_DIGEST));
            p.put("shadowPolicyDigest", i.label(Wrapper.LABEL_SHADOW_POLICY_DIGEST));
            p.put("sbomDigest", i.label(Wrapper.LABEL_SBOM_DIGEST));
            p.put("agentFlag", i.label(Wrapper.LABEL_AGENT_FLAG));
        }
        ArrayNode w = root.putArray("warnings");
        warnings.forEach(w::add);
        ObjectNode transfer = root.putObject("transfer");
        transfer.put("blobsCopied", stats.blobsCopied());
        transfer.put("blobsAlreadyPresent", stats.blobsSkipped());
        transfer.put("blobsMountedOrLinked", stats.blobsMounted());
        transfer.put("bytesDownloaded", stats.bytesDownloaded());
        transfer.put("bytesWritten", stats.bytesWritten());
        return root;
    }
}
