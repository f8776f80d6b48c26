package dev.inlay.runtime;

import dev.inlay.model.AgentSettings;
import dev.inlay.model.JsonLine;
import dev.inlay.model.WorkloadFields;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where this JVM runs, from local facts only (no network calls): the hostname, ECS and Kubernetes downward-API
 * environment, the deployed image reference ({@code INLAY_IMAGE}, set by {@code inlay deploy}), and the original
 * image's digests and labels that {@code inlay wrap} wrote into inlay.properties.
 */
final class Workload {
    /** Downward-API variables and the workload field each becomes (the name in lower case without '_'). */
    private static final String[][] K8S_ENV = {
        {"POD_NAME", WorkloadFields.PODNAME},
        {"POD_NAMESPACE", WorkloadFields.PODNAMESPACE},
        {"NODE_NAME", "nodename"},
        {"POD_IP", "podip"},
        {"POD_UID", WorkloadFields.PODUID},
        {"SERVICE_ACCOUNT", "serviceaccount"},
        // Cloud Run (Knative) and Fargate set these themselves.
        {"K_SERVICE", "kservice"},
        {"K_REVISION", "krevision"},
        {"K_CONFIGURATION", "kconfiguration"},
        {"AWS_EXECUTION_ENV", "awsexecutionenv"},
        {"AWS_REGION", "awsregion"}
    };

    /** What names the container and its image in a line cut to its essentials (an event over 8 KiB). */
    private static final String[] IDENTITY = {
        WorkloadFields.HOSTNAME,
        WorkloadFields.PODNAME,
        WorkloadFields.PODNAMESPACE,
        WorkloadFields.IMAGE,
        WorkloadFields.IMAGE_DIGEST
    };
    /** Characters of an identity value kept in such a line. */
    private static final int MAX_IDENTITY_VALUE = 256;

    private final String hostname;
    private final Map<String, Object> fields;
    private final String json;
    private final String identityJson;

    private Workload(String hostname, Map<String, Object> fields) {
        this.hostname = hostname;
        this.fields = Collections.unmodifiableMap(fields);
        JsonLine object = JsonLine.object();
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (e.getValue() instanceof Boolean b) object.field(e.getKey(), b);
            else object.field(e.getKey(), String.valueOf(e.getValue()));
        }
        this.json = object.end();
        JsonLine identity = JsonLine.object();
        for (String key : IDENTITY) {
            Object v = fields.get(key);
            if (v != null) {
                String s = String.valueOf(v);
                identity.field(key, s.substring(0, Math.min(MAX_IDENTITY_VALUE, s.length())));
            }
        }
        this.identityJson = identity.end();
    }

    static Workload detect(Map<String, String> env, AgentSettings recorded) {
        Map<String, Object> fields = new LinkedHashMap<>();
        String hostname = hostname(env);
        fields.put(WorkloadFields.HOSTNAME, hostname);
        if (env.containsKey("ECS_CONTAINER_METADATA_URI_V4") || env.containsKey("ECS_CONTAINER_METADATA_URI")) {
            fields.put(WorkloadFields.ECS, true);
        }
        for (String[] variable : K8S_ENV) {
            String v = env.get(variable[0]);
            if (v != null && !v.isEmpty()) fields.put(variable[1], v);
        }
        if (env.containsKey("KUBERNETES_SERVICE_HOST")) fields.put(WorkloadFields.KUBERNETES, true);
        // The image as deployed: only the deployment knows it (the wrapped image's digest cannot be inside the image).
        // inlay.properties' own "image" (the source as typed at wrap time, inlay 0.1) is never reported.
        String image = env.get(AgentSettings.ENV_IMAGE);
        if (image != null && !image.isBlank()) {
            image = image.trim();
            fields.put(WorkloadFields.IMAGE, image);
            int at = image.lastIndexOf('@');
            if (at > 0 && image.startsWith("sha256:", at + 1))
                fields.put(WorkloadFields.IMAGE_DIGEST, image.substring(at + 1));
        }
        putRecorded(fields, WorkloadFields.ORIGINAL_MANIFEST_DIGEST, recorded.imageManifestDigest());
        putRecorded(fields, WorkloadFields.ORIGINAL_CONFIG_DIGEST, recorded.imageConfigDigest());
        putRecorded(fields, WorkloadFields.PLATFORM, recorded.platform());
        for (Map.Entry<String, String> label : recorded.labels().entrySet()) {
            fields.put(AgentSettings.LABEL_PREFIX + label.getKey(), label.getValue());
        }
        return new Workload(hostname, fields);
    }

    private static void putRecorded(Map<String, Object> fields, String name, String value) {
        if (value != null && !value.isBlank()) fields.put(name, value.trim());
    }

    private static String hostname(Map<String, String> env) {
        String h = env.get("HOSTNAME");
        if (h != null && !h.isBlank()) return h.trim();
        try (InputStream in = new FileInputStream("/proc/sys/kernel/hostname")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    String hostname() {
        return hostname;
    }

    Map<String, Object> fields() {
        return fields;
    }

    /** The workload as a JSON object, written once. */
    String json() {
        return json;
    }

    /** Only what names the container and its image, each value at most 256 characters: for a line cut short. */
    String identityJson() {
        return identityJson;
    }
}
