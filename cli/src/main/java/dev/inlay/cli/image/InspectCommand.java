package dev.inlay.cli.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlay.cli.InputException;
import dev.inlay.cli.common.JsonOutput;
import dev.inlay.instrumenter.image.Image;
import dev.inlay.instrumenter.image.ImageArtifact;
import dev.inlay.instrumenter.image.ImageIndex;
import dev.inlay.instrumenter.transport.ImageLocation;
import dev.inlay.instrumenter.transport.ImageStores;
import dev.inlay.instrumenter.transport.Progress;
import dev.inlay.instrumenter.wrap.ImageFilesystem;
import dev.inlay.instrumenter.wrap.LaunchAnalysis;
import dev.inlay.instrumenter.wrap.Wrapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
            "Show whether an image is wrapped, its JVMs and how it starts Java.",
            "Wrapped or not (mode, policy digest), the JVMs in it (bin/java and the version from the JDK release "
                    + "file), how its entrypoint and cmd start Java, and WARNINGs where JAVA_TOOL_OPTIONS will not "
                    + "reach the JVM. Reads every layer."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:inspected",
            "2:bad command line",
            "3:bad input (no JVM without --force, corrupt or hostile image)",
            "4:file or registry failure"
        })
public final class InspectCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "IMAGE",
            description = "registry://..., HOST/REPO:TAG, docker-archive:PATH, oci:DIR[:REF], oci-archive:PATH[:REF].")
    String image;

    @Option(names = "--force", description = "Report an image without a JVM instead of refusing it.")
    boolean force;

    @Mixin
    RegistryOptions registry;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "One JSON object for machines instead of the report (docs/CLI.md).")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (ImageStores stores = new ImageStores(registry.access(), Progress.forTerminal(registry.quiet))) {
            ImageArtifact artifact = stores.read(ImageLocation.parse(image), registry.platform);
            List<Image> images = images(artifact);
            ObjectNode root = JsonOutput.object();
            root.put("image", image);
            root.put("digest", artifact.digest());
            root.put("mediaType", artifact.mediaType());
            ArrayNode platforms = root.putArray("platforms");
            for (Image i : images) platforms.add(inspect(i));
            if (json) {
                JsonOutput.print(out, root);
            } else {
                out.print(text(root));
                out.flush();
            }
        }
        return 0;
    }

    static List<Image> images(ImageArtifact artifact) {
        List<Image> images = new ArrayList<>();
        if (artifact instanceof Image i) images.add(i);
        else for (ImageIndex.Entry e : ((ImageIndex) artifact).entries()) if (e.image() != null) images.add(e.image());
        return images;
    }

    /** One platform, as the JSON shape; the text report is printed from the same tree so that the two never differ. */
    private ObjectNode inspect(Image i) throws IOException {
        ImageFilesystem fs = ImageFilesystem.scan(i.layers(), Progress.forTerminal(registry.quiet));
        List<ImageFilesystem.Jvm> jvms = fs.jvms();
        if (jvms.isEmpty() && !force) {
            throw new InputException(image + " (" + i.platform()
                    + "): no JVM found (no bin/java in any layer); use --force to inspect it anyway");
        }
        ObjectNode p = JsonOutput.object();
        p.put("platform", i.platform());
        p.put("wrapped", Wrapper.isWrapped(i));
        if (Wrapper.isWrapped(i)) {
            p.put("inlayVersion", i.label(Wrapper.LABEL_VERSION));
            p.put("mode", i.label(Wrapper.LABEL_MODE));
            p.put("policyDigest", i.label(Wrapper.LABEL_POLICY_DIGEST));
            p.put("shadowPolicyDigest", i.label(Wrapper.LABEL_SHADOW_POLICY_DIGEST));
            p.put("originalConfigDigest", i.label(Wrapper.LABEL_ORIGINAL_DIGEST));
            p.put("agentFlagInUse", i.label(Wrapper.LABEL_AGENT_FLAG));
        }
        ArrayNode jvmList = p.putArray("jvms");
        for (ImageFilesystem.Jvm j : jvms)
            jvmList.addObject().put("java", j.javaPath()).put("version", j.version());
        LaunchAnalysis launch = LaunchAnalysis.analyze(i, fs);
        ArrayNode command = p.putArray("command");
        for (String a : launch.argv()) command.add(a);
        p.put("startsJava", launch.launch());
        p.put("agentFlag", launch.agentFlag().wireName());
        p.put("agentFlagReason", launch.agentFlagReason());
        ArrayNode warnings = p.putArray("warnings");
        for (String w : launch.warnings()) warnings.add(w);
        p.put("executables", fs.executableCount());
        return p;
    }

    private static String text(ObjectNode root) {
        StringBuilder r = new StringBuilder();
        r.append("image: ").append(root.get("image").asText()).append('\n');
        r.append("digest: ")
                .append(root.get("digest").asText())
                .append(" (")
                .append(root.get("mediaType").asText())
                .append(")\n");
        for (JsonNode p : root.get("platforms")) {
            r.append("\nplatform: ").append(p.get("platform").asText()).append('\n');
            if (p.get("wrapped").asBoolean()) {
                r.append("wrapped: yes (inlay ")
                        .append(p.get("inlayVersion").asText(null))
                        .append(", mode ")
                        .append(p.get("mode").asText(null))
                        .append(")\n");
                r.append("policy: ")
                        .append(
                                p.get("policyDigest").isNull()
                                        ? "none"
                                        : p.get("policyDigest").asText())
                        .append('\n');
                if (!p.path("shadowPolicyDigest").isNull()) {
                    r.append("shadow policy: ")
                            .append(p.get("shadowPolicyDigest").asText())
                            .append('\n');
                }
                r.append("original config: ")
                        .append(p.get("originalConfigDigest").asText(null))
                        .append('\n');
            } else {
                r.append("wrapped: no\n");
            }
            r.append("jvms:").append(p.get("jvms").isEmpty() ? " none\n" : "\n");
            for (JsonNode j : p.get("jvms"))
                r.append("  ")
                        .append(j.get("java").asText())
                        .append("  ")
                        .append(j.get("version").asText())
                        .append('\n');
            List<String> argv = new ArrayList<>();
            for (JsonNode a : p.get("command")) argv.add(a.asText());
            r.append("command: ").append(argv).append('\n');
            r.append("starts java: ").append(p.get("startsJava").asText()).append('\n');
            r.append("agent flag wrap chooses: ")
                    .append(p.get("agentFlag").asText())
                    .append(" (")
                    .append(p.get("agentFlagReason").asText())
                    .append(")\n");
            for (JsonNode w : p.get("warnings"))
                r.append("WARNING: ").append(w.asText()).append('\n');
            r.append("executables: ").append(p.get("executables").asLong()).append('\n');
        }
        return r.toString();
    }
}
