package dev.inlay.profiler;

import java.util.ArrayList;
import java.util.List;

/** Handmade profile documents, written the way the agent writes them (docs/PROFILE.md). */
public final class Docs {
    private Docs() {}

    public static String profile(String run, int seq, String replica, String written, String... behaviors) {
        return "{\"inlay\":\"profile\",\"schema\":1,\"agent\":\"0.1.0\",\"run\":\"" + run + "\",\"seq\":" + seq
                + ",\"chunk\":0,\"chunks\":1,\"replica\":\"" + replica + "\",\"started\":\"2026-11-23T17:00:00.000Z\","
                + "\"written\":\"" + written + "\",\"final\":false,\"workload\":{\"hostname\":\"" + replica
                + "\",\"image\":\"registry/app@sha256:abc\"},\"behaviors\":[" + String.join(",", behaviors) + "]}";
    }

    public static String behavior(
            String category, String operation, String resource, int count, String first, String last) {
        return "{\"category\":\"" + category + "\",\"operation\":\"" + operation + "\",\"resource\":\"" + resource
                + "\",\"count\":" + count + ",\"first\":\"" + first + "\",\"last\":\"" + last + "\"}";
    }

    public static String file(String operation, String path) {
        return behavior("file", operation, path, 1, "2026-11-23T17:01:00.000Z", "2026-11-23T17:01:30.000Z");
    }

    /** A directory the agent summarized for its many files ({@code dir/*}, {@code dir/**}; docs/PROFILE.md). */
    public static String summary(String operation, String pattern) {
        String b = file(operation, pattern);
        return b.substring(0, b.length() - 1) + ",\"summary\":true}";
    }

    public static String connect(String host, String address, int port) {
        String resource = "tcp://" + (host != null ? host : address) + ":" + port;
        return "{\"category\":\"network\",\"operation\":\"connect\",\"resource\":\"" + resource + "\""
                + (host != null ? ",\"host\":\"" + host + "\"" : "") + ",\"address\":\"" + address + "\",\"port\":"
                + port
                + ",\"protocol\":\"tcp\",\"count\":1,\"first\":\"2026-11-23T17:01:00.000Z\",\"last\":\"2026-11-23T17:01:00.000Z\"}";
    }

    public static String exec(String executable, String... args) {
        List<String> quoted = new ArrayList<>();
        for (String a : args) quoted.add("\"" + a + "\"");
        return "{\"category\":\"process\",\"operation\":\"exec\",\"resource\":\"" + executable + "\",\"args\":["
                + String.join(",", quoted)
                + "],\"count\":1,\"first\":\"2026-11-23T17:01:00.000Z\",\"last\":\"2026-11-23T17:01:00.000Z\"}";
    }

    /** One document with the given behaviors, from run {@code r-<n>} on replica {@code web-<n>}. */
    public static String simple(int n, String... behaviors) {
        return profile("r-" + n, 0, "web-" + n, "2026-11-23T17:02:00.000Z", behaviors);
    }
}
