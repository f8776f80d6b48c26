package dev.inlay.instrumenter.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code ValidatingWebhookConfiguration} (admissionregistration.k8s.io/v1) that sends Pods and the workloads
 * that hold pod templates to {@code inlay admission serve}: CREATE and UPDATE, {@code failurePolicy: Fail},
 * {@code sideEffects: None}, {@code admissionReviewVersions: [v1]}, exempt namespaces left out by a namespaceSelector
 * on the {@code kubernetes.io/metadata.name} label (which the API server sets on every namespace).
 */
public final class WebhookConfiguration {
    public static final String API_VERSION = "admissionregistration.k8s.io/v1";
    /** What the API server waits before it applies failurePolicy; its default and maximum are 10 s and 30 s. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 10;

    private WebhookConfiguration() {}

    /** Where the API server reaches the webhook: a Service in the cluster, or a URL. */
    public sealed interface Target permits ServiceTarget, UrlTarget {}

    public record ServiceTarget(String namespace, String name, int port) implements Target {}

    public record UrlTarget(String url) implements Target {}

    /**
     * @param caBundlePem the PEM bytes of the CA that signed the server's certificate (sent as caBundle, base64)
     */
    public static ObjectNode of(
            String name,
            String webhookName,
            Target target,
            byte[] caBundlePem,
            Set<String> exemptNamespaces,
            int timeoutSeconds) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode doc = json.createObjectNode();
        doc.put("apiVersion", API_VERSION);
        doc.put("kind", "ValidatingWebhookConfiguration");
        ObjectNode metadata = doc.putObject("metadata");
        metadata.put("name", name);
        metadata.putObject("labels").put("app.kubernetes.io/managed-by", "inlay");
        ObjectNode hook = doc.putArray("webhooks").addObject();
        hook.put("name", webhookName);
        hook.putArray("admissionReviewVersions").add("v1");
        hook.put("sideEffects", "None");
        hook.put("failurePolicy", "Fail");
        hook.put("matchPolicy", "Equivalent");
        hook.put("timeoutSeconds", timeoutSeconds);
        ObjectNode client = hook.putObject("clientConfig");
        if (target instanceof ServiceTarget s) {
            ObjectNode service = client.putObject("service");
            service.put("namespace", s.namespace());
            service.put("name", s.name());
            service.put("path", AdmissionServer.PATH);
            service.put("port", s.port());
        } else {
            client.put("url", ((UrlTarget) target).url());
        }
        client.put("caBundle", Base64.getEncoder().encodeToString(caBundlePem));
        Set<String> exempt = new TreeSet<>(exemptNamespaces);
        if (target instanceof ServiceTarget s) exempt.add(s.namespace()); // the webhook must not have to admit itself
        if (!exempt.isEmpty()) {
            ObjectNode expression = hook.putObject("namespaceSelector")
                    .putArray("matchExpressions")
                    .addObject();
            expression.put("key", "kubernetes.io/metadata.name");
            expression.put("operator", "NotIn");
            ArrayNode values = expression.putArray("values");
            exempt.forEach(values::add);
        }
        ArrayNode rules = hook.putArray("rules");
        rule(rules, "", List.of("pods", "pods/ephemeralcontainers", "replicationcontrollers"));
        rule(rules, "apps", List.of("deployments", "replicasets", "statefulsets", "daemonsets"));
        rule(rules, "batch", List.of("jobs", "cronjobs"));
        return doc;
    }

    private static void rule(ArrayNode rules, String group, List<String> resources) {
        ObjectNode rule = rules.addObject();
        rule.putArray("apiGroups").add(group);
        rule.putArray("apiVersions").add("v1");
        rule.putArray("operations").add("CREATE").add("UPDATE");
        ArrayNode list = rule.putArray("resources");
        resources.forEach(list::add);
        rule.put("scope", "Namespaced");
    }
}
