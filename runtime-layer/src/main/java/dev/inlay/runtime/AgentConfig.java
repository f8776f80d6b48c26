package dev.inlay.runtime;

import dev.inlay.model.AgentSettings;
import dev.inlay.model.LayerLayout;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Agent settings. Precedence, lowest first: defaults &lt; inlay.properties next to the agent jar &lt; agent
 * arguments ({@code mode=enforce,policy=/p.yaml}) &lt; INLAY_* environment variables.
 */
final class AgentConfig {
    static final String[] KEYS = AgentSettings.operatorKeys();

    private final Map<String, String> values;
    /** Everything in inlay.properties, also keys the agent does not use (image digest and labels: workload). */
    private final AgentSettings recorded;

    private final String policyBase64;

    private AgentConfig(Map<String, String> values, AgentSettings recorded, String policyBase64) {
        this.values = values;
        this.recorded = recorded;
        this.policyBase64 = policyBase64;
    }

    static AgentConfig load(String agentArgs, File agentJar, Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        Properties file = new Properties();
        if (agentJar != null) {
            Path properties = agentJar.toPath().resolveSibling(LayerLayout.SETTINGS);
            if (Files.isRegularFile(properties)) {
                try (InputStream in = new java.io.FileInputStream(properties.toFile())) { // no NIO channels at startup
                    file.load(in);
                } catch (IOException e) {
                    System.err.println("inlay: cannot read " + properties + ": " + e.getMessage());
                }
            }
        }
        AgentSettings recorded = AgentSettings.of(file);
        for (String key : KEYS) {
            String v = recorded.get(key);
            if (v != null) values.put(key, v.trim());
        }
        if (agentArgs != null && !agentArgs.isBlank()) {
            for (String pair : agentArgs.split(",")) {
                int eq = pair.indexOf('=');
                if (eq > 0)
                    values.put(
                            pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        for (String key : KEYS) {
            String v = env.get(AgentSettings.envName(key));
            if (v != null && !v.isEmpty()) values.put(key, v.trim());
        }
        return new AgentConfig(values, recorded, env.get(AgentSettings.ENV_POLICY_BASE64));
    }

    String get(String key) {
        return values.get(key);
    }

    String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    boolean flag(String key) {
        return "true".equalsIgnoreCase(values.get(key));
    }

    long number(String key, long fallback) {
        String v = values.get(key);
        if (v == null) return fallback;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            System.err.println("inlay: ignoring " + key + "=" + v + ": not a number");
            return fallback;
        }
    }

    String policyBase64() {
        return policyBase64 == null || policyBase64.isBlank() ? null : policyBase64.trim();
    }

    /** What {@code inlay wrap} recorded in inlay.properties (empty without the file). */
    AgentSettings recorded() {
        return recorded;
    }
}
