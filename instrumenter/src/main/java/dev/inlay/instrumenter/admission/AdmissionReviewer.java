package dev.inlay.instrumenter.admission;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import dev.inlay.instrumenter.admission.AdmissionRules.Check;
import dev.inlay.scanner.gate.ScanVerdict;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Answers one Kubernetes {@code AdmissionReview} (admission.k8s.io/v1): finds the pod spec of the object (a Pod or a
 * workload's pod template), checks the image of every container, init container and ephemeral container against the
 * {@link AdmissionRules}, and denies with every failing image and every reason in the message. A document that is
 * not an AdmissionReview v1 request is a {@link BadReview} (HTTP 400), never an allow.
 */
public final class AdmissionReviewer {
    public static final String API_VERSION = "admission.k8s.io/v1";
    /** At most this many scan reasons per image in a message; the rest are counted. */
    static final int MAX_SCAN_REASONS = 5;

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Set<String> TEMPLATE_KINDS =
            Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job");
    private static final List<String> CONTAINER_LISTS = List.of("containers", "initContainers", "ephemeralContainers");

    private final AdmissionRules rules;
    private final ImageInspector inspector;
    private final ScanVerdicts verdicts;
    private final ExecutorService lookups;

    /**
     * @param verdicts where scan verdicts are; may be null unless the {@code scan} check applies
     * @param lookups runs registry reads, so that one review waits for all of them at most {@code registryTimeout}
     */
    public AdmissionReviewer(
            AdmissionRules rules, ImageInspector inspector, ScanVerdicts verdicts, ExecutorService lookups) {
        if (rules.applies(Check.SCAN) && verdicts == null)
            throw new IllegalArgumentException("the scan check needs scan verdicts");
        this.rules = rules;
        this.inspector = inspector;
        this.verdicts = verdicts;
        this.lookups = lookups;
    }

    /** A request that is not an AdmissionReview v1 the webhook can answer: HTTP 400 with the message. */
    public static final class BadReview extends Exception {
        private static final long serialVersionUID = 1L;

        BadReview(String message) {
            super(message);
        }
    }

    /** The decision, and the AdmissionReview response document that carries it. */
    public record Decision(String uid, boolean allowed, String message, List<String> warnings, String summary) {
        public byte[] responseBytes() {
            ObjectNode review = JSON.createObjectNode();
            review.put("apiVersion", API_VERSION);
            review.put("kind", "AdmissionReview");
            ObjectNode response = review.putObject("response");
            response.put("uid", uid);
            response.put("allowed", allowed);
            if (!allowed) {
                ObjectNode status = response.putObject("status");
                status.put("code", 403);
                status.put("reason", "Forbidden");
                status.put("message", message);
            }
            if (!warnings.isEmpty()) {
                ArrayNode list = response.putArray("warnings");
                warnings.forEach(list::add);
            }
            try {
                return JSON.writeValueAsBytes(review);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** One container of the pod spec: where it is, its name and image, and its env entries. */
    record ContainerRef(String list, int index, String name, JsonNode node) {
        String where() {
            String kind = switch (list) {
                case "initContainers" -> "init container";
                case "ephemeralContainers" -> "ephemeral container";
                default -> "container";
            };
            return kind + " " + (name == null ? list + "[" + index + "]" : name);
        }

        String image() {
            JsonNode image = node.get("image");
            return image != null && image.isTextual() ? image.asText() : null;
        }
    }

    public Decision review(byte[] body) throws BadReview {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadReview("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadReview("not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw new BadReview("not a JSON object: expected an AdmissionReview");
        if (!API_VERSION.equals(root.path("apiVersion").asText(null))) {
            throw new BadReview("apiVersion is " + root.get("apiVersion") + ": this webhook speaks " + API_VERSION
                    + " only (admissionReviewVersions: [v1])");
        }
        if (!"AdmissionReview".equals(root.path("kind").asText(null))) {
            throw new BadReview("kind is " + root.get("kind") + ", not AdmissionReview");
        }
        JsonNode request = root.get("request");
        if (request == null || !request.isObject()) throw new BadReview("no request object in the AdmissionReview");
        JsonNode uidNode = request.get("uid");
        if (uidNode == null || !uidNode.isTextual() || uidNode.asText().isEmpty())
            throw new BadReview("request.uid is missing");
        String uid = uidNode.asText();
        String kind = request.path("kind").path("kind").asText(null);
        if (kind == null || kind.isEmpty()) throw new BadReview("request.kind.kind is missing");
        String operation = request.path("operation").asText(null);
        if (operation == null || operation.isEmpty()) throw new BadReview("request.operation is missing");
        String namespace = request.path("namespace").asText("");
        String name = request.path("name").asText("");
        JsonNode object = request.get("object");
        if (name.isEmpty() && object != null)
            name = object.path("metadata").path("name").asText("");
        if (name.isEmpty() && object != null)
            name = object.path("metadata").path("generateName").asText("") + "*";
        String subject = kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name + " (" + operation
                + (request.path("subResource").asText("").isEmpty()
                        ? ""
                        : " " + request.path("subResource").asText()) + ")";

        if (!operation.equals("CREATE") && !operation.equals("UPDATE")) {
            return new Decision(
                    uid, true, null, List.of(), "allowed " + subject + ": only CREATE and UPDATE are checked");
        }
        if (rules.exemptNamespaces().contains(namespace)) {
            return new Decision(
                    uid, true, null, List.of(), "allowed " + subject + ": namespace " + namespace + " is exempt");
        }
        if (object == null || !object.isObject()) throw new BadReview("request.object is missing for a " + operation);

        String specPath = podSpecPath(kind);
        if (specPath == null) {
            return deny(
                    uid,
                    subject,
                    List.of(
                            kind + " is not a kind this webhook reviews (Pod, Deployment, StatefulSet, "
                                    + "DaemonSet, ReplicaSet, ReplicationController, Job, CronJob): refused rather than let through unchecked"),
                    List.of());
        }
        JsonNode spec = at(object, specPath);
        if (spec == null || !spec.isObject()) {
            return deny(uid, subject, List.of("no pod spec at " + specPath), List.of());
        }
        List<String> problems = new ArrayList<>();
        List<ContainerRef> containers = containers(spec, problems);
        if (!problems.isEmpty()) return deny(uid, subject, problems, List.of());

        List<ContainerRef> toCheck = new ArrayList<>(containers);
        if (operation.equals("UPDATE")) {
            JsonNode oldSpec = at(request.path("oldObject"), specPath);
            if (oldSpec != null && oldSpec.isObject()) {
                List<ContainerRef> old = containers(oldSpec, new ArrayList<>());
                toCheck.removeIf(c -> old.stream()
                        .anyMatch(o -> o.list().equals(c.list())
                                && java.util.Objects.equals(o.name(), c.name())
                                && o.node().equals(c.node())));
            }
        }
        if (toCheck.isEmpty()) {
            return new Decision(uid, true, null, List.of(), "allowed " + subject + ": no new or changed container");
        }
        List<String> warnings = new ArrayList<>();
        List<String> failures = check(toCheck, warnings);
        if (failures.isEmpty()) {
            return new Decision(
                    uid,
                    true,
                    null,
                    warnings,
                    "allowed " + subject + ": " + toCheck.size() + (toCheck.size() == 1 ? " container" : " containers")
                            + " checked");
        }
        return deny(uid, subject, failures, warnings);
    }

    private static Decision deny(String uid, String subject, List<String> failures, List<String> warnings) {
        String reasons = subject + ": " + String.join("; ", failures);
        return new Decision(uid, false, "inlay admission denied " + reasons, warnings, "denied " + reasons);
    }

    /** Where the pod spec of a kind is, or null for a kind this webhook does not review. */
    static String podSpecPath(String kind) {
        if (kind.equals("Pod")) return "spec";
        if (TEMPLATE_KINDS.contains(kind)) return "spec.template.spec";
        if (kind.equals("CronJob")) return "spec.jobTemplate.spec.template.spec";
        if (kind.equals("PodTemplate")) return "template.spec";
        return null;
    }

    private static JsonNode at(JsonNode node, String dotted) {
        for (String part : dotted.split("\\.")) {
            if (node == null || !node.isObject()) return null;
            node = node.get(part);
        }
        return node;
    }

    private static List<ContainerRef> containers(JsonNode spec, List<String> problems) {
        List<ContainerRef> found = new ArrayList<>();
        for (String list : CONTAINER_LISTS) {
            JsonNode items = spec.get(list);
            if (items == null || items.isNull()) continue;
            if (!items.isArray()) {
                problems.add(list + " is not a list");
                continue;
            }
            for (int i = 0; i < items.size(); i++) {
                JsonNode c = items.get(i);
                if (!c.isObject()) {
                    problems.add(list + "[" + i + "] is not an object");
                    continue;
                }
                String name = c.path("name").isTextual() ? c.path("name").asText() : null;
                ContainerRef ref = new ContainerRef(list, i, name, c);
                if (ref.image() == null) problems.add(ref.where() + ": no image");
                found.add(ref);
            }
        }
        if (found.isEmpty() && problems.isEmpty()) problems.add("the pod spec has no containers");
        return found;
    }

    // ---- the checks

    private List<String> check(List<ContainerRef> containers, List<String> warnings) {
        // One registry read per distinct image, all started at once and waited for with one deadline.
        Map<String, Future<ImageFacts>> reads = new LinkedHashMap<>();
        boolean needsFacts = rules.applies(Check.WRAPPED) || rules.applies(Check.MODE) || rules.applies(Check.SCAN);
        for (ContainerRef c : containers) {
            String image = c.image();
            ImageReference ref = parse(image);
            if (ref == null || !needsFacts || reads.containsKey(image) || !registryAllowed(ref)) continue;
            if (!rules.applies(Check.WRAPPED)
                    && !rules.applies(Check.MODE)
                    && directVerdict(ref).isPresent()) continue;
            try {
                reads.put(image, lookups.submit(() -> inspector.inspect(image)));
            } catch (java.util.concurrent.RejectedExecutionException busy) {
                reads.put(
                        image,
                        java.util.concurrent.CompletableFuture.failedFuture(
                                new IOException("too many registry reads waiting (the registry is slow or hangs)")));
            }
        }
        long deadline = System.nanoTime() + rules.registryTimeout().toNanos();
        Map<String, Object> facts = new LinkedHashMap<>(); // ImageFacts, or the String saying why it could not be read
        for (Map.Entry<String, Future<ImageFacts>> e : reads.entrySet()) {
            try {
                facts.put(
                        e.getKey(), e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException t) {
                e.getValue().cancel(true);
                facts.put(
                        e.getKey(),
                        "the registry did not answer within "
                                + rules.registryTimeout().toMillis() + " ms");
            } catch (ExecutionException x) {
                Throwable cause = x.getCause();
                facts.put(e.getKey(), cause.getMessage() == null ? cause.toString() : cause.getMessage());
            } catch (InterruptedException i) {
                Thread.currentThread().interrupt();
                facts.put(e.getKey(), "interrupted while reading the registry");
            }
        }
        List<String> failures = new ArrayList<>();
        for (ContainerRef c : containers) {
            List<String> reasons = reasons(c, facts.get(c.image()), warnings);
            if (!reasons.isEmpty())
                failures.add("image " + c.image() + " (" + c.where() + "): " + String.join(", ", reasons));
        }
        return failures;
    }

    private static ImageReference parse(String image) {
        try {
            return ImageReference.parse(image);
        } catch (InvalidImageReferenceException | RuntimeException e) {
            return null;
        }
    }

    /** docker.io, index.docker.io and registry-1.docker.io are one registry; Jib names it the last way. */
    static String canonicalRegistry(String registry) {
        return registry.equals("docker.io") || registry.equals("index.docker.io") ? "registry-1.docker.io" : registry;
    }

    private boolean registryAllowed(ImageReference ref) {
        if (rules.allowedRegistries().isEmpty()) return true;
        String registry = canonicalRegistry(ref.getRegistry());
        for (String allowed : rules.allowedRegistries())
            if (canonicalRegistry(allowed).equals(registry)) return true;
        return false;
    }

    private Optional<ScanVerdict> directVerdict(ImageReference ref) {
        if (!rules.applies(Check.SCAN) || ref.getDigest().isEmpty()) return Optional.empty();
        return verdicts.forDigest(ref.getDigest().get());
    }

    private List<String> reasons(ContainerRef c, Object read, List<String> warnings) {
        List<String> reasons = new ArrayList<>();
        String image = c.image();
        ImageReference ref = parse(image);
        if (ref == null) return List.of("not a valid image reference");
        if (!registryAllowed(ref)) {
            reasons.add("registry " + ref.getRegistry() + " is not allowed (allowed: "
                    + String.join(", ", new java.util.TreeSet<>(rules.allowedRegistries())) + ")");
            return reasons;
        }
        boolean pinned = ref.getDigest().isPresent();
        if (rules.applies(Check.DIGEST) && !pinned) reasons.add("not pinned by digest (@sha256:...)");
        JsonNode env = c.node().get("env");
        if (c.node().has("envFrom") && (rules.applies(Check.WRAPPED) || rules.applies(Check.MODE))) {
            warnings.add(c.where() + " (" + image
                    + "): envFrom is not checked; it must not set JAVA_TOOL_OPTIONS or INLAY_MODE");
        }
        if (read instanceof String error) {
            // The checks that need no registry (the container's env, a scan verdict by digest) still apply.
            String reason = "registry not readable: " + error;
            if (rules.allowOnRegistryError()) {
                warnings.add(c.where() + " (" + image + ") was not checked against its registry: " + reason);
            } else {
                reasons.add(reason);
            }
        }
        ImageFacts facts = read instanceof ImageFacts f ? f : null; // null when not read, or not readable
        if (rules.applies(Check.WRAPPED)) {
            if (facts != null) {
                for (ImageFacts.Platform p : facts.platforms()) {
                    if (!p.wrapped())
                        reasons.add(
                                "not wrapped by inlay (no dev.inlay.wrapped=true label" + platformNote(facts, p) + ")");
                }
                if (facts.platforms().isEmpty()) reasons.add("not wrapped by inlay (the index has no image)");
                moduleLaunchReasons(c, facts, reasons);
            }
            // The variable that carries the image's agent (AgentFlag.variable): one set in the pod spec replaces it.
            for (String variable : agentVariables(facts)) {
                EnvValue tool = envValue(env, variable);
                if (tool != null && tool.value() == null) {
                    reasons.add(variable + " comes from " + tool.source()
                            + " and cannot be checked (it replaces the image's, which loads the agent)");
                } else if (tool != null && !dev.inlay.model.AgentFlag.loadsLayerAgent(tool.value())) {
                    reasons.add(variable + " in the pod spec replaces the image's and does not load the agent ("
                            + dev.inlay.model.AgentFlag.layerOptions() + ")");
                }
            }
        }
        if (rules.applies(Check.MODE)) {
            // INLAY_MODE in the container overrides the image's mode, but only an image with the agent has a mode.
            String required = rules.requiredMode();
            EnvValue mode = envValue(env, dev.inlay.model.AgentSettings.ENV_MODE);
            if (mode != null && mode.value() == null) {
                reasons.add("INLAY_MODE comes from " + mode.source() + " and cannot be checked (" + required
                        + " required)");
            } else if (mode != null && AdmissionRules.modeRank(mode.value()) < AdmissionRules.modeRank(required)) {
                reasons.add(
                        "runs in mode '" + mode.value() + "' (INLAY_MODE in the pod spec), " + required + " required");
            }
            if (facts != null) {
                for (ImageFacts.Platform p : facts.platforms()) {
                    if (!p.wrapped()) {
                        if (!rules.applies(Check.WRAPPED)) {
                            reasons.add(
                                    "not wrapped by inlay" + platformNote(facts, p) + ", so not in mode " + required);
                        }
                    } else if (mode == null && AdmissionRules.modeRank(p.mode()) < AdmissionRules.modeRank(required)) {
                        reasons.add("wrapped in mode '" + p.mode() + "'" + platformNote(facts, p) + ", " + required
                                + " required");
                    }
                }
            }
        }
        if (rules.applies(Check.SCAN)) {
            if (!pinned) {
                reasons.add("no scan verdict (only a digest-pinned image can have one)");
            } else {
                scanReasons(ref.getDigest().get(), facts, reasons);
            }
        }
        return reasons;
    }

    /**
     * A container whose command or args launch with modules runs a JVM that refuses to start when the image loads the
     * agent with {@code -agentlib:instrument=} (docs/WRAPPING.md, "How the agent is loaded"): refused here, with the
     * remedy, rather than crash-looping.
     */
    private static void moduleLaunchReasons(ContainerRef c, ImageFacts facts, List<String> reasons) {
        List<String> commandLine = new ArrayList<>();
        for (String field : List.of("command", "args")) {
            for (JsonNode word : c.node().path(field)) if (word.isTextual()) commandLine.add(word.asText());
        }
        // Args alone, starting with an option, follow the image's entrypoint: an agentlib image's is read to java.
        if (!c.node().has("command")
                && !commandLine.isEmpty()
                && commandLine.get(0).startsWith("-")) commandLine.add(0, "java");
        List<String> options = new ArrayList<>(dev.inlay.instrumenter.wrap.LaunchAnalysis.moduleOptionsIn(commandLine));
        // The environment's values (JAVA_OPTS, JAVA_TOOL_OPTIONS...) may carry them to the JVM too.
        for (JsonNode e : c.node().path("env")) {
            if (!e.path("value").isTextual()) continue;
            List<String> words = List.of(e.path("value").asText().trim().split("\\s+"));
            for (String option : dev.inlay.instrumenter.wrap.LaunchAnalysis.moduleOptionsIn(words))
                if (!options.contains(option)) options.add(option);
        }
        if (options.isEmpty()) return;
        for (ImageFacts.Platform p : facts.platforms()) {
            if (p.wrapped() && dev.inlay.model.AgentFlag.AGENTLIB.wireName().equals(p.agentFlag())) {
                reasons.add("the command or args launch with modules (" + String.join(", ", options)
                        + ") but the image loads the agent with -agentlib:instrument=" + platformNote(facts, p)
                        + ", which such a JVM refuses at start: wrap it with --agent-flag javaagent");
            }
        }
    }

    /**
     * The variables that may carry the image's agent: JDK_JAVA_OPTIONS for an image loading it with
     * {@code -agentlib:instrument=}, JAVA_TOOL_OPTIONS for {@code -javaagent} (and images wrapped before the label);
     * both when the image could not be read or its platforms differ.
     */
    private static List<String> agentVariables(ImageFacts facts) {
        java.util.Set<String> variables = new java.util.LinkedHashSet<>();
        if (facts != null) {
            for (ImageFacts.Platform p : facts.platforms()) {
                if (!p.wrapped()) continue;
                boolean agentlib = dev.inlay.model.AgentFlag.AGENTLIB.wireName().equals(p.agentFlag());
                variables.add((agentlib ? dev.inlay.model.AgentFlag.AGENTLIB : dev.inlay.model.AgentFlag.JAVAAGENT)
                        .variable());
            }
        }
        if (variables.isEmpty()) {
            for (dev.inlay.model.AgentFlag flag : dev.inlay.model.AgentFlag.values()) variables.add(flag.variable());
        }
        return List.copyOf(variables);
    }

    private void scanReasons(String digest, ImageFacts facts, List<String> reasons) {
        Optional<ScanVerdict> direct = verdicts.forDigest(digest);
        if (direct.isPresent()) {
            addScanReasons(direct.get(), "", reasons);
            return;
        }
        // A multi-platform image may be scanned platform by platform: then every platform needs a passing verdict.
        if (facts != null && facts.index() && !facts.platforms().isEmpty()) {
            for (ImageFacts.Platform p : facts.platforms()) {
                Optional<ScanVerdict> v = verdicts.forDigest(p.manifestDigest());
                if (v.isEmpty()) {
                    reasons.add("no scan verdict for " + digest + " nor for its platform " + p.platform() + " ("
                            + p.manifestDigest() + ")");
                } else {
                    addScanReasons(v.get(), " (platform " + p.platform() + ")", reasons);
                }
            }
            return;
        }
        reasons.add("no scan verdict for " + digest + " (not scanned)");
    }

    private static void addScanReasons(ScanVerdict verdict, String note, List<String> reasons) {
        if (verdict.passed()) return;
        List<String> shown = verdict.reasons()
                .subList(0, Math.min(MAX_SCAN_REASONS, verdict.reasons().size()));
        int more = verdict.reasons().size() - shown.size();
        reasons.add("scan gate failed" + note + ": " + String.join(", ", shown)
                + (more > 0 ? " and " + more + " more" : ""));
    }

    private static String platformNote(ImageFacts facts, ImageFacts.Platform p) {
        return facts.index() ? ", platform " + p.platform() : "";
    }

    /** An env entry: its literal value, or null and where it comes from ({@code valueFrom}). */
    record EnvValue(String value, String source) {}

    /** The last entry of that name wins, as in the kubelet. */
    static EnvValue envValue(JsonNode env, String name) {
        EnvValue found = null;
        if (env == null || !env.isArray()) return null;
        for (JsonNode e : env) {
            if (!name.equals(e.path("name").asText(null))) continue;
            if (e.has("valueFrom")) {
                found = new EnvValue(null, "valueFrom");
            } else {
                found = new EnvValue(e.path("value").asText(""), "value");
            }
        }
        return found;
    }
}
