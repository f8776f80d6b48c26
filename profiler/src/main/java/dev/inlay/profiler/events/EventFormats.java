package dev.inlay.profiler.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlay.model.Behavior;
import dev.inlay.model.Event;
import dev.inlay.model.WorkloadFields;
import dev.inlay.profiler.profile.Times;
import dev.inlay.profiler.rollout.RolloutLines;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Converts the agent's event lines (docs/EVENTS.md) into the shapes SIEMs ingest: OCSF 1.1 activity events and
 * Falco alerts. The agent's writer stays small; the mapping lives here, in the CLI.
 */
public final class EventFormats {
    /** The OCSF schema version the output follows. */
    public static final String OCSF_VERSION = "1.1.0";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventFormats() {}

    public enum Format {
        OCSF,
        FALCO;

        public static Format of(String name) {
            for (Format f : values()) if (f.name().equalsIgnoreCase(name)) return f;
            throw new IllegalArgumentException("unknown format '" + name + "' (ocsf, falco)");
        }
    }

    /** An agent event in {@code format}. */
    public static ObjectNode convert(JsonNode event, Format format) {
        return format == Format.OCSF ? ocsf(event) : falco(event);
    }

    // ---- OCSF

    /** OCSF class of an inlay category: uid, name, category uid, category name. */
    private record OcsfClass(int uid, String name, int categoryUid, String categoryName) {}

    private static final OcsfClass FILE_SYSTEM = new OcsfClass(1001, "File System Activity", 1, "System Activity");
    private static final OcsfClass MODULE = new OcsfClass(1005, "Module Activity", 1, "System Activity");
    private static final OcsfClass PROCESS = new OcsfClass(1007, "Process Activity", 1, "System Activity");
    private static final OcsfClass NETWORK = new OcsfClass(4001, "Network Activity", 4, "Network Activity");
    private static final OcsfClass DNS = new OcsfClass(4003, "DNS Activity", 4, "Network Activity");
    private static final OcsfClass BASE = new OcsfClass(0, "Base Event", 0, "Uncategorized");

    private static OcsfClass ocsfClass(String category) {
        return switch (category) {
            case "file" -> FILE_SYSTEM;
            case "process", "drift" -> PROCESS;
            case "native" -> MODULE;
            case "network" -> NETWORK;
            case "dns" -> DNS;
            default -> BASE;
        };
    }

    /** OCSF activity_id and activity_name of an operation within its class (99 Other when the class has none). */
    private static Object[] ocsfActivity(OcsfClass c, String operation) {
        if (c == FILE_SYSTEM) {
            return switch (operation) {
                case "create" -> new Object[] {1, "Create"};
                case "read" -> new Object[] {2, "Read"};
                case "write" -> new Object[] {3, "Update"};
                case "delete" -> new Object[] {4, "Delete"};
                default -> new Object[] {99, capitalized(operation)}; // list, exec
            };
        }
        if (c == PROCESS) return new Object[] {1, "Launch"};
        if (c == MODULE) return new Object[] {1, "Load"};
        if (c == NETWORK) {
            return switch (operation) {
                case "connect", "accept" -> new Object[] {1, "Open"};
                case "listen" -> new Object[] {7, "Listen"};
                default -> new Object[] {99, capitalized(operation)};
            };
        }
        if (c == DNS) return new Object[] {1, "Query"};
        return new Object[] {99, capitalized(operation)};
    }

    /** low 2, medium 3, high 4, critical 5 (OCSF severity_id); anything else 0 Unknown. */
    static int severityId(String severity) {
        return switch (severity) {
            case "low" -> 2;
            case "medium" -> 3;
            case "high" -> 4;
            case "critical" -> 5;
            default -> 0;
        };
    }

    static ObjectNode ocsf(JsonNode e) {
        String category = e.path(Behavior.CATEGORY).asText("");
        String operation = e.path(Behavior.OPERATION).asText("");
        String resource = e.path(Behavior.RESOURCE).asText("");
        boolean blocked = e.path(Event.BLOCKED).asBoolean(false);
        OcsfClass c = ocsfClass(category);
        Object[] activity = ocsfActivity(c, operation);
        int activityId = (Integer) activity[0];
        String severity = e.path(Event.SEVERITY).asText("");

        ObjectNode o = MAPPER.createObjectNode();
        o.put("class_uid", c.uid())
                .put("class_name", c.name())
                .put("category_uid", c.categoryUid())
                .put("category_name", c.categoryName())
                .put("activity_id", activityId)
                .put("activity_name", (String) activity[1])
                .put("type_uid", c.uid() * 100L + activityId)
                .put("severity_id", severityId(severity))
                .put("severity", capitalized(severity));
        long time = Times.parse(e.path(Event.TIME).asText(null), Long.MIN_VALUE);
        if (time != Long.MIN_VALUE) o.put("time", time);
        putText(o, "message", e.path(Event.MESSAGE));
        o.put("status_id", blocked ? 2 : 1).put("status", blocked ? "Failure" : "Success");
        if (blocked)
            o.put("status_detail", "blocked by inlay (" + e.path(Event.ACTION).asText() + ")");
        // Security control profile: what the control did.
        o.put("action_id", blocked ? 2 : 1).put("action", blocked ? "Denied" : "Allowed");
        o.put("disposition_id", blocked ? 2 : 1).put("disposition", blocked ? "Blocked" : "Allowed");
        if (e.has(Event.COUNT)) o.put("count", e.path(Event.COUNT).asLong());

        ObjectNode metadata = o.putObject("metadata");
        metadata.put("version", OCSF_VERSION);
        ObjectNode product = metadata.putObject("product");
        product.put("name", "inlay").put("vendor_name", "inlay");
        putText(product, "version", e.path(Event.AGENT));
        putText(metadata, "original_time", e.path(Event.TIME));
        putText(metadata, "correlation_uid", e.path(Event.RUN));
        metadata.putArray("profiles").add("container").add("security_control");

        JsonNode w = e.path(Event.WORKLOAD);
        ObjectNode device = o.putObject("device");
        device.put("type_id", 0).put("type", "Unknown");
        putText(device, "hostname", w.path(WorkloadFields.HOSTNAME));
        ObjectNode container = o.putObject("container");
        putText(
                container,
                "name",
                w.path(WorkloadFields.PODNAME).isMissingNode()
                        ? w.path(WorkloadFields.HOSTNAME)
                        : w.path(WorkloadFields.PODNAME));
        putText(container, "pod_uuid", w.path(WorkloadFields.PODUID));
        if (w.path(WorkloadFields.KUBERNETES).asBoolean(false)) container.put("orchestrator", "Kubernetes");
        else if (w.path(WorkloadFields.ECS).asBoolean(false)) container.put("orchestrator", "Amazon ECS");
        if (w.hasNonNull(WorkloadFields.IMAGE) || w.hasNonNull(WorkloadFields.ORIGINAL_MANIFEST_DIGEST)) {
            ObjectNode image = container.putObject("image");
            putText(image, "name", w.path(WorkloadFields.IMAGE));
            putText(image, "uid", w.path(WorkloadFields.IMAGE_DIGEST));
        }

        ObjectNode actor = o.putObject("actor");
        ObjectNode actorProcess = actor.putObject("process");
        if (e.has(Event.PID)) actorProcess.put("pid", e.path(Event.PID).asLong());
        ObjectNode thread = actorProcess.putObject("thread");
        putText(thread, "name", e.path(Event.THREAD));

        switch (c.uid()) {
            case 1001 ->
                o.putObject("file")
                        .put("path", resource)
                        .put("name", lastSegment(resource))
                        .put("type_id", 1)
                        .put("type", "Regular File");
            case 1005 ->
                o.putObject("module").putObject("file").put("path", resource).put("name", lastSegment(resource));
            case 1007 -> {
                ObjectNode process = o.putObject("process");
                process.putObject("file").put("path", resource).put("name", lastSegment(resource));
                if (e.path(Behavior.ARGS).isArray()) {
                    StringBuilder cmd = new StringBuilder();
                    for (JsonNode a : e.path(Behavior.ARGS))
                        cmd.append(cmd.length() == 0 ? "" : " ").append(a.asText());
                    process.put("cmd_line", cmd.toString());
                }
            }
            case 4001 -> {
                // The server's end in every case: the peer for connect, this JVM's port for listen and accept.
                ObjectNode endpoint = o.putObject("dst_endpoint");
                putText(endpoint, "hostname", e.path(Behavior.HOST));
                putText(endpoint, "ip", e.path(Behavior.ADDRESS));
                if (e.has(Behavior.PORT))
                    endpoint.put("port", e.path(Behavior.PORT).asInt());
                ObjectNode connection = o.putObject("connection_info");
                putText(connection, "protocol_name", e.path(Behavior.PROTOCOL));
                int direction = operation.equals("connect") ? 2 : 1;
                connection.put("direction_id", direction).put("direction", direction == 2 ? "Outbound" : "Inbound");
            }
            case 4003 -> o.putObject("query").put("hostname", resource);
            default -> {}
        }

        ObjectNode unmapped = o.putObject("unmapped");
        for (String field : new String[] {
            Event.MODE, Event.ACTION, Behavior.CATEGORY, Behavior.OPERATION, Behavior.RESOURCE, Event.RULE, Event.FRAME
        }) {
            putText(unmapped, field, e.path(field));
        }
        if (e.path(Event.POLICY).isObject()) unmapped.set("policy", e.path(Event.POLICY));
        String phase = RolloutLines.phase(e);
        if (phase != null) unmapped.put("phase", phase);
        copyWorkload(w, unmapped.putObject("workload"));
        return o;
    }

    // ---- Falco

    /** Falco priority of an inlay severity. */
    static String priority(String severity) {
        return switch (severity) {
            case "critical" -> "Critical";
            case "high" -> "Error";
            case "medium" -> "Warning";
            case "low" -> "Notice";
            default -> "Informational";
        };
    }

    static ObjectNode falco(JsonNode e) {
        JsonNode w = e.path(Event.WORKLOAD);
        String category = e.path(Behavior.CATEGORY).asText("");
        String image = w.path(WorkloadFields.IMAGE).asText(null);
        ObjectNode f = MAPPER.createObjectNode();
        putText(f, "time", e.path(Event.TIME));
        f.put("rule", "inlay " + category + ": " + e.path(Event.RULE).asText());
        f.put("priority", priority(e.path(Event.SEVERITY).asText("")));
        StringBuilder output = new StringBuilder(e.path(Event.MESSAGE).asText(""));
        output.append(" (host=").append(w.path(WorkloadFields.HOSTNAME).asText("?"));
        if (w.hasNonNull(WorkloadFields.PODNAME)) {
            output.append(" pod=")
                    .append(w.path(WorkloadFields.PODNAMESPACE).asText(""))
                    .append('/')
                    .append(w.path(WorkloadFields.PODNAME).asText());
        }
        if (image != null) output.append(" image=").append(image);
        output.append(" pid=")
                .append(e.path(Event.PID).asText("?"))
                .append(" thread=")
                .append(e.path(Event.THREAD).asText("?"))
                .append(')');
        f.put("output", output.toString());
        f.put("source", "inlay");
        putText(f, "hostname", w.path(WorkloadFields.HOSTNAME));
        ArrayNode tags = f.putArray("tags");
        tags.add("inlay")
                .add(category)
                .add(e.path(Event.ACTION).asText(""))
                .add(e.path(Event.MODE).asText(""));

        ObjectNode fields = f.putObject("output_fields");
        putText(fields, "evt.time.iso8601", e.path(Event.TIME));
        putText(fields, "inlay.category", e.path(Behavior.CATEGORY));
        putText(fields, "inlay.operation", e.path(Behavior.OPERATION));
        putText(fields, "inlay.resource", e.path(Behavior.RESOURCE));
        putText(fields, "inlay.action", e.path(Event.ACTION));
        if (e.has(Event.BLOCKED))
            fields.put("inlay.blocked", e.path(Event.BLOCKED).asBoolean());
        putText(fields, "inlay.mode", e.path(Event.MODE));
        putText(fields, "inlay.rule", e.path(Event.RULE));
        String phase = RolloutLines.phase(e);
        if (phase != null) fields.put("inlay.phase", phase);
        putText(fields, "inlay.severity", e.path(Event.SEVERITY));
        putText(fields, "inlay.policy.name", e.path(Event.POLICY).path("name"));
        putText(fields, "inlay.policy.digest", e.path(Event.POLICY).path("digest"));
        putText(fields, "inlay.run", e.path(Event.RUN));
        if (e.has(Event.COUNT)) fields.put("inlay.count", e.path(Event.COUNT).asLong());
        putText(fields, "inlay.frame", e.path(Event.FRAME));
        if (e.has(Event.PID)) fields.put("proc.pid", e.path(Event.PID).asLong());
        putText(fields, "thread.name", e.path(Event.THREAD));
        switch (category) {
            case "file" -> fields.put("fd.name", e.path(Behavior.RESOURCE).asText());
            case "network" -> {
                putText(fields, "fd.sip.name", e.path(Behavior.HOST));
                putText(fields, "fd.sip", e.path(Behavior.ADDRESS));
                if (e.has(Behavior.PORT))
                    fields.put("fd.sport", e.path(Behavior.PORT).asInt());
                putText(fields, "fd.l4proto", e.path(Behavior.PROTOCOL));
            }
            case "process", "drift" -> {
                fields.put("proc.exepath", e.path(Behavior.RESOURCE).asText());
                if (e.path(Behavior.ARGS).isArray()) {
                    StringBuilder cmd = new StringBuilder();
                    for (JsonNode a : e.path(Behavior.ARGS))
                        cmd.append(cmd.length() == 0 ? "" : " ").append(a.asText());
                    fields.put("proc.cmdline", cmd.toString());
                }
            }
            default -> {}
        }
        putText(fields, "container.hostname", w.path(WorkloadFields.HOSTNAME));
        if (image != null) {
            fields.put("container.image", image);
            fields.put("container.image.repository", repository(image));
        }
        putText(fields, "container.image.digest", w.path(WorkloadFields.IMAGE_DIGEST));
        putText(fields, "k8s.pod.name", w.path(WorkloadFields.PODNAME));
        putText(fields, "k8s.ns.name", w.path(WorkloadFields.PODNAMESPACE));
        return f;
    }

    // ---- helpers

    /** {@code reg:5000/shop/orders:1@sha256:..} is {@code reg:5000/shop/orders}. */
    static String repository(String reference) {
        String r = reference;
        int at = r.indexOf('@');
        if (at >= 0) r = r.substring(0, at);
        int colon = r.lastIndexOf(':');
        if (colon > r.lastIndexOf('/')) r = r.substring(0, colon);
        return r;
    }

    private static void copyWorkload(JsonNode workload, ObjectNode into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = workload.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            into.set(field.getKey(), field.getValue());
        }
    }

    private static void putText(ObjectNode o, String name, JsonNode value) {
        if (value != null && !value.isMissingNode() && !value.isNull()) o.put(name, value.asText());
    }

    private static String lastSegment(String path) {
        int slash = path.lastIndexOf('/');
        return slash >= 0 && slash < path.length() - 1 ? path.substring(slash + 1) : path;
    }

    private static String capitalized(String s) {
        if (s == null || s.isEmpty()) return "Other";
        return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }
}
