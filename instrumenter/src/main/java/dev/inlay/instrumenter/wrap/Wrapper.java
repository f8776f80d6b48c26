package dev.inlay.instrumenter.wrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlay.instrumenter.BadInputException;
import dev.inlay.instrumenter.image.Digests;
import dev.inlay.instrumenter.image.Image;
import dev.inlay.instrumenter.image.ImageArtifact;
import dev.inlay.instrumenter.image.ImageIndex;
import dev.inlay.instrumenter.image.ImageOperations;
import dev.inlay.instrumenter.image.Json;
import dev.inlay.instrumenter.image.Layer;
import dev.inlay.instrumenter.image.MalformedImageException;
import dev.inlay.instrumenter.image.MediaTypes;
import dev.inlay.instrumenter.transport.Progress;
import dev.inlay.model.AgentFlag;
import dev.inlay.model.AgentSettings;
import dev.inlay.model.ComponentMap;
import dev.inlay.model.LayerLayout;
import dev.inlay.policy.CompiledPolicy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Wraps and unwraps images. A wrapped image is its original plus one inlay layer; the layer carries the original
 * config and manifest bytes, so unwrapping gives back the original digest, and wrapping again replaces the layer
 * instead of stacking a second one.
 */
public final class Wrapper {
    public static final String AGENT_PATH = LayerLayout.AGENT_JAR_PATH;
    /** Which {@link AgentFlag} loads the agent ({@code agentlib} or {@code javaagent}), and so what the launch may be. */
    public static final String LABEL_AGENT_FLAG = "dev.inlay.agent-flag";

    public static final String LABEL_WRAPPED = "dev.inlay.wrapped";
    public static final String LABEL_VERSION = "dev.inlay.version";
    public static final String LABEL_MODE = "dev.inlay.mode";
    public static final String LABEL_ORIGINAL_DIGEST = "dev.inlay.original-digest";
    public static final String LABEL_POLICY_DIGEST = "dev.inlay.policy-digest";
    public static final String LABEL_SHADOW_POLICY_DIGEST = "dev.inlay.shadow-policy-digest";
    public static final String LABEL_AGENT_DIGEST = "dev.inlay.agent-digest";
    public static final String LABEL_LAYER_DIFF_ID = "dev.inlay.layer-diff-id";
    /** Digest of /opt/inlay/sbom.cdx.json, the original image's CycloneDX SBOM (docs/SCAN.md). */
    public static final String LABEL_SBOM_DIGEST = "dev.inlay.sbom-digest";
    /** Manifest annotation: digest of the original manifest. */
    public static final String ANNOTATION_ORIGINAL_MANIFEST = "dev.inlay.original-manifest-digest";
    /** Index annotation: the original index, base64, so that unwrap can restore it byte for byte. */
    public static final String ANNOTATION_ORIGINAL_INDEX = "dev.inlay.original-index";

    private Wrapper() {}

    public static boolean isWrapped(Image image) {
        return "true".equals(image.label(LABEL_WRAPPED));
    }

    // ---- wrap

    /** Wraps every image of the artifact; an already wrapped image is unwrapped first. */
    public static ImageArtifact wrap(ImageArtifact artifact, WrapOptions options, Consumer<String> warnings)
            throws IOException {
        return wrap(artifact, options, warnings, Progress.SILENT);
    }

    /** @param progress where the layer scan shows its progress (a terminal), or {@link Progress#SILENT} */
    public static ImageArtifact wrap(
            ImageArtifact artifact, WrapOptions options, Consumer<String> warnings, Progress progress)
            throws IOException {
        ImageArtifact original = unwrapIfWrapped(artifact);
        if (original instanceof Image image) return wrapImage(image, options, warnings, progress);
        ImageIndex index = (ImageIndex) original;
        List<ImageIndex.Entry> entries = new ArrayList<>();
        for (ImageIndex.Entry e : index.entries()) {
            if (e.image() == null) continue;
            entries.add(new ImageIndex.Entry(
                    e.descriptor(),
                    wrapImage(e.image(), options, w -> warnings.accept(e.platform() + ": " + w), progress)));
        }
        if (entries.isEmpty()) throw new BadInputException("the index holds no image of the requested platform");
        ObjectNode tree = index.index();
        Json.objectField(tree, "annotations")
                .put(ANNOTATION_ORIGINAL_INDEX, Base64.getEncoder().encodeToString(index.manifestBytes()));
        return ImageIndex.fromTree(tree, entries);
    }

    static Image wrapImage(Image original, WrapOptions options, Consumer<String> warnings) throws IOException {
        return wrapImage(original, options, warnings, Progress.SILENT);
    }

    static Image wrapImage(Image original, WrapOptions options, Consumer<String> warnings, Progress progress)
            throws IOException {
        String baseline = "";
        byte[] hookedClasses = new byte[0];
        byte[] jdkLinks = new byte[0];
        byte[] startupArchive = null;
        AgentFlag agentFlag = options.agentFlag() != null ? options.agentFlag() : AgentFlag.JAVAAGENT;
        List<String> jvmVersions = new ArrayList<>();
        byte[] sbom = null;
        String components = null;
        if (options.baseline()) {
            Path work = Files.createTempDirectory("inlay-wrap-jdk");
            try {
                // The same single pass over the layers also takes the inventory; a layer whose facts are all cached
                // is not read at all (docs/WRAPPING.md, "The layer cache").
                InventoryPass inventory = new InventoryPass(options.layerCache());
                ImageFilesystem fs =
                        ImageFilesystem.scan(original.layers(), work, progress, inventory, options.layerCache());
                sbom = ImageSbom.json(inventory.inventory(), original.digest(), options.inlayVersion());
                components = ComponentMap.write(ImageComponents.map(inventory.inventory()));
                if (options.gate() != null) options.gate().check(original.digest(), sbom);
                baseline = fs.baselineTsv();
                if (fs.jvms().isEmpty()) refuseWithoutJvm(options, "no bin/java in any layer");
                for (ImageFilesystem.Jvm jvm : fs.jvms()) jvmVersions.add(jvm.version());
                LaunchAnalysis launch = LaunchAnalysis.analyze(original, fs);
                launch.warnings().forEach(warnings);
                if (options.agentFlag() == null) agentFlag = launcherReadsItsVariable(launch.agentFlag(), jvmVersions);
                hookedClasses = PrecomputedHooks.compute(
                        options.agentJar(), fs, fs.jdkFiles(), work, warnings, options.layerCache());
                jdkLinks = fs.jdkLinkList();
                if (options.startupArchive())
                    startupArchive = StartupArchive.forImage(original, fs, options.agentJar(), agentFlag, work);
            } finally {
                deleteTree(work);
            }
        } else {
            if (!LaunchAnalysis.configMentionsJava(original))
                refuseWithoutJvm(options, "--no-baseline: the config names no JAVA_HOME, JAVA_VERSION or java command");
            // No script can be read: only a java entrypoint and cmd, and the environment, can tell a class-path launch.
            if (options.agentFlag() == null)
                agentFlag = launcherReadsItsVariable(
                        LaunchAnalysis.analyze(original, null).agentFlag(), configJavaVersion(original));
        }
        String agentDigest = Digests.of(options.agentJar());
        String policyDigest =
                options.policy() == null ? null : Digests.of(options.policy().yaml());
        String sbomDigest = sbom == null ? null : Digests.of(sbom);
        byte[] compiledPolicy = options.policy() == null
                ? null
                : CompiledPolicy.write(options.policy().policy());
        String shadowDigest = options.shadowPolicy() == null
                ? null
                : Digests.of(options.shadowPolicy().yaml());

        Map<String, byte[]> files = new HashMap<>();
        files.put(LayerLayout.AGENT_JAR, options.agentJar());
        files.put(
                LayerLayout.SETTINGS,
                properties(original, options, agentDigest, policyDigest, compiledPolicy, sbomDigest)
                        .getBytes(StandardCharsets.UTF_8));
        files.put(LayerLayout.BASELINE, baseline.getBytes(StandardCharsets.UTF_8));
        files.put(LayerLayout.ORIGINAL_CONFIG, original.configBytes());
        files.put(LayerLayout.ORIGINAL_MANIFEST, original.manifestBytes());
        if (options.policy() != null)
            files.put(LayerLayout.POLICY, options.policy().yaml());
        if (options.shadowPolicy() != null)
            files.put(LayerLayout.SHADOW_POLICY, options.shadowPolicy().yaml());
        if (sbom != null) files.put(LayerLayout.SBOM, sbom);
        if (components != null) files.put(LayerLayout.COMPONENTS, components.getBytes(StandardCharsets.UTF_8));
        if (hookedClasses.length > 0) files.put(LayerLayout.HOOKED_CLASSES, hookedClasses);
        if (jdkLinks.length > 0) files.put(LayerLayout.JDK_LINKS, jdkLinks);
        if (startupArchive != null) files.put(LayerLayout.STARTUP_ARCHIVE, startupArchive);
        InlayLayer layer = InlayLayer.build(files);

        String layerType = original.isDocker() ? MediaTypes.DOCKER_LAYER_GZIP : MediaTypes.OCI_LAYER_GZIP;
        ObjectNode history = Json.MAPPER.createObjectNode();
        JsonNode created = original.config().get("created");
        if (created != null) history.set("created", created);
        history.put("created_by", "inlay wrap --mode " + options.mode().wireName());
        history.put("comment", "inlay " + options.inlayVersion() + " runtime layer: " + AGENT_PATH);

        Image wrapped = ImageOperations.appendLayer(original, layer.asLayer(layerType), history);
        // The agent's option in its variable (AgentFlag.variable); the JVM's own options in JAVA_TOOL_OPTIONS, which
        // every JVM of the image reads.
        List<String> toolOptions = new ArrayList<>();
        if (agentFlag == AgentFlag.JAVAAGENT) toolOptions.add(agentFlag.layerOption());
        else wrapped = ImageOperations.appendToEnv(wrapped, agentFlag.variable(), agentFlag.layerOption());
        if (startupArchive != null) toolOptions.add(StartupArchive.JVM_OPTION);
        toolOptions.addAll(JvmRestrictions.flags(
                options.mode(),
                options.policy() == null ? null : options.policy().policy(),
                jvmVersions));
        if (!toolOptions.isEmpty())
            wrapped = ImageOperations.appendToEnv(wrapped, "JAVA_TOOL_OPTIONS", String.join(" ", toolOptions));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_WRAPPED, "true");
        labels.put(LABEL_VERSION, options.inlayVersion());
        labels.put(LABEL_MODE, options.mode().wireName());
        labels.put(LABEL_AGENT_FLAG, agentFlag.wireName());
        labels.put(LABEL_ORIGINAL_DIGEST, original.configDigest());
        if (policyDigest != null) labels.put(LABEL_POLICY_DIGEST, policyDigest);
        if (shadowDigest != null) labels.put(LABEL_SHADOW_POLICY_DIGEST, shadowDigest);
        labels.put(LABEL_AGENT_DIGEST, agentDigest);
        if (sbomDigest != null) labels.put(LABEL_SBOM_DIGEST, sbomDigest);
        labels.put(LABEL_LAYER_DIFF_ID, layer.diffId());
        wrapped = ImageOperations.addLabels(wrapped, labels);
        Map<String, String> annotations = new LinkedHashMap<>(labels);
        annotations.remove(LABEL_LAYER_DIFF_ID);
        annotations.put(ANNOTATION_ORIGINAL_MANIFEST, original.digest());
        return ImageOperations.addAnnotations(wrapped, annotations);
    }

    /**
     * {@code flag}, unless it is {@link AgentFlag#AGENTLIB} and a JVM of the image may be older than JDK 9, whose
     * launcher ignores {@code JDK_JAVA_OPTIONS}: the agent would silently not load there, where {@code -javaagent}
     * fails loudly (the agent needs JDK 17). An unknown version counts as older.
     */
    static AgentFlag launcherReadsItsVariable(AgentFlag flag, List<String> jvmVersions) {
        if (flag != AgentFlag.AGENTLIB) return flag;
        if (jvmVersions.isEmpty()) return AgentFlag.JAVAAGENT;
        for (String version : jvmVersions) {
            if (StartupArchive.featureVersion(version) < 9) return AgentFlag.JAVAAGENT;
        }
        return flag;
    }

    /** Without the layers: the config's JAVA_VERSION (the official images set it: "17.0.9", "jdk-17.0.9+9"), if any. */
    private static List<String> configJavaVersion(Image image) {
        for (JsonNode e : image.config().path("config").path("Env")) {
            String entry = e.asText();
            if (entry.startsWith("JAVA_VERSION=")) {
                String v = entry.substring("JAVA_VERSION=".length());
                return List.of(v.startsWith("jdk-") ? v.substring(4) : v.startsWith("jdk") ? v.substring(3) : v);
            }
        }
        return List.of();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        }
    }

    private static void refuseWithoutJvm(WrapOptions options, String why) {
        if (!options.force()) {
            throw new BadInputException("no JVM found in the image (" + why
                    + "); inlay instruments JVMs only (use --force to wrap anyway)");
        }
    }

    private static String properties(
            Image original,
            WrapOptions options,
            String agentDigest,
            String policyDigest,
            byte[] compiledPolicy,
            String sbomDigest) {
        AgentSettings settings = new AgentSettings().mode(options.mode().wireName());
        if (options.policy() != null) {
            settings.policy(LayerLayout.POLICY_PATH)
                    // The agent refuses this policy file if it no longer has this digest (docs/SECURITY.md).
                    .policyDigest(policyDigest)
                    // The policy the agent starts from, in this file rather than pinned by a digest in it: the same
                    // trust, and no SHA-256 before the application's main() (docs/POLICY.md, "The compiled form").
                    .compiledPolicy(Base64.getEncoder().encodeToString(compiledPolicy));
        }
        if (options.shadowPolicy() != null) {
            // The candidate, pinned and compiled like the policy: the agent evaluates it beside the one in force.
            settings.shadowPolicy(LayerLayout.SHADOW_POLICY_PATH)
                    .shadowPolicyDigest(Digests.of(options.shadowPolicy().yaml()))
                    .shadowCompiledPolicy(Base64.getEncoder()
                            .encodeToString(
                                    CompiledPolicy.write(options.shadowPolicy().policy())));
        }
        settings.agentDigest(agentDigest);
        if (options.baseline()) settings.baseline(LayerLayout.BASELINE_PATH);
        // Pinned like the policy: whoever reads the SBOM from the layer can check it is the one wrap wrote.
        if (sbomDigest != null) settings.sbom(LayerLayout.SBOM_PATH).sbomDigest(sbomDigest);
        if (options.baseline()) settings.components(LayerLayout.COMPONENTS_PATH);
        // Properties of the image only: nothing typed on the command line (the source's spelling), so that the same
        // image, mode and policy always give the same wrapped digest. The deployed name is INLAY_IMAGE
        // (docs/EVENTS.md).
        settings.imageConfigDigest(original.configDigest())
                .imageManifestDigest(original.digest())
                .platform(original.platform())
                .inlayVersion(options.inlayVersion());
        // The original image's own labels (version, source, team) identify the workload in every event.
        original.config().path("config").path("Labels").fields().forEachRemaining(e -> {
            if (!e.getKey().startsWith("dev.inlay.") && e.getValue().isTextual()) {
                settings.label(e.getKey(), e.getValue().asText());
            }
        });
        return settings.write("written by inlay wrap; precedence and meaning: docs/ARCHITECTURE.md");
    }

    // ---- unwrap

    /** The original of a wrapped image or index; anything else is returned as it is. */
    public static ImageArtifact unwrapIfWrapped(ImageArtifact artifact) throws IOException {
        if (artifact instanceof Image image) return isWrapped(image) ? unwrapImage(image) : image;
        ImageIndex index = (ImageIndex) artifact;
        boolean any = false;
        List<ImageIndex.Entry> entries = new ArrayList<>();
        for (ImageIndex.Entry e : index.entries()) {
            if (e.image() != null && isWrapped(e.image())) {
                any = true;
                entries.add(new ImageIndex.Entry(e.descriptor(), unwrapImage(e.image())));
            } else {
                entries.add(e);
            }
        }
        if (!any) return index;
        String originalIndex = index.annotation(ANNOTATION_ORIGINAL_INDEX);
        if (originalIndex != null) {
            byte[] bytes = Base64.getDecoder().decode(originalIndex);
            ObjectNode tree = Json.parseObject(bytes, "original index");
            Map<String, Image> byDigest = new HashMap<>();
            for (ImageIndex.Entry e : entries)
                if (e.image() != null) byDigest.put(e.image().digest(), e.image());
            List<ImageIndex.Entry> restored = new ArrayList<>();
            boolean complete = true;
            for (JsonNode d : tree.path("manifests")) {
                Image image = byDigest.get(d.path("digest").asText());
                if (image == null) complete = false;
                restored.add(new ImageIndex.Entry((ObjectNode) d, image));
            }
            if (complete) return ImageIndex.of(bytes, restored);
        }
        ObjectNode tree = index.index();
        if (tree.path("annotations") instanceof ObjectNode a) {
            a.remove(ANNOTATION_ORIGINAL_INDEX);
            if (a.isEmpty()) tree.remove("annotations");
        }
        List<ImageIndex.Entry> present =
                entries.stream().filter(e -> e.image() != null).toList();
        return ImageIndex.fromTree(tree, present);
    }

    /** Drops the inlay layer and restores the original config and manifest bytes stored in it. */
    public static Image unwrapImage(Image wrapped) throws IOException {
        List<Layer> layers = wrapped.layers();
        String recorded = wrapped.label(LABEL_LAYER_DIFF_ID);
        if (layers.isEmpty()
                || recorded == null
                || !recorded.equals(layers.get(layers.size() - 1).diffId())) {
            throw new MalformedImageException(
                    "the image is labeled as wrapped by inlay but its last layer is not the inlay layer"
                            + " (was a layer added on top?); it cannot be unwrapped");
        }
        Layer inlay = layers.get(layers.size() - 1);
        Map<String, byte[]> files =
                InlayLayer.read(inlay, Set.of(LayerLayout.ORIGINAL_CONFIG, LayerLayout.ORIGINAL_MANIFEST));
        byte[] config = files.get(LayerLayout.ORIGINAL_CONFIG);
        byte[] manifest = files.get(LayerLayout.ORIGINAL_MANIFEST);
        if (config == null || manifest == null) {
            throw new MalformedImageException(
                    "the inlay layer holds no original config or manifest; it cannot be unwrapped");
        }
        List<Layer> originalLayers = new ArrayList<>();
        JsonNode manifestLayers =
                Json.parseObject(manifest, "original manifest").path("layers");
        for (int i = 0; i < layers.size() - 1; i++) {
            JsonNode d = manifestLayers.get(i);
            if (d == null || !d.isObject())
                throw new MalformedImageException("the original manifest does not match the layers");
            originalLayers.add(new Layer(
                    (ObjectNode) d, layers.get(i).diffId(), layers.get(i).content()));
        }
        return Image.of(manifest, config, originalLayers);
    }
}
