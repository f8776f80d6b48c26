package dev.inlay.deploy;

import dev.inlay.model.AgentFlag;
import dev.inlay.model.AgentSettings;
import dev.inlay.model.LayerLayout;
import dev.inlay.policy.Mode;
import dev.inlay.policy.PolicyException;
import dev.inlay.policy.PolicyParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a deployment rewrite does, independent of the platform: the image mapping, the {@code INLAY_*} variables to
 * set on every wrapped container, whether to only check images, and containers to leave alone. Immutable.
 */
public final class DeploySettings {
    /**
     * What a deployment that overrides JAVA_TOOL_OPTIONS (replacing the image's, where {@code inlay wrap} put the agent)
     * gets appended when it loads the agent with neither {@link AgentFlag}: {@code -javaagent}, which serves every
     * launch, since the deployment does not know the image's (wrap may have chosen {@code -agentlib:instrument=}).
     */
    public static final String AGENT_FLAG = AgentFlag.JAVAAGENT.layerOption();

    public static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";

    /** Where {@code deploy k8s --policy-configmap} mounts the config map: a directory, so that updates reach the pod. */
    public static final String POLICY_MOUNT_DIR = "/etc/inlay";

    public static final String POLICY_FILE_NAME = LayerLayout.POLICY;
    public static final String POLICY_VOLUME = "inlay-policy";

    private final ImageMapping images;
    private final Map<String, String> environment;
    private final Set<String> removedVariables;
    private final String policyConfigMapText;
    private final String policyConfigMapName;
    private final boolean check;
    private final Set<String> skippedContainers;

    private DeploySettings(Builder b) {
        this.images = b.images;
        this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(b.environment));
        this.removedVariables = Collections.unmodifiableSet(new LinkedHashSet<>(b.removedVariables));
        this.policyConfigMapText = b.policyConfigMapText;
        this.policyConfigMapName = b.policyConfigMapName;
        this.check = b.check;
        this.skippedContainers = Collections.unmodifiableSet(new LinkedHashSet<>(b.skippedContainers));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The mapping in effect: with {@code --check} and nothing given, the default suffix convention. */
    public ImageMapping images() {
        return check ? images.orDefaultConvention() : images;
    }

    /** {@code INLAY_*} name to value, in the order they are appended to a container that lacks them. */
    public Map<String, String> environment() {
        return environment;
    }

    /** Variables a wrapped container must not keep (they would override what is set). */
    public Set<String> removedVariables() {
        return removedVariables;
    }

    /** The policy to deliver as a Kubernetes config map, or null. */
    public String policyConfigMapText() {
        return policyConfigMapText;
    }

    public String policyConfigMapName() {
        return policyConfigMapName;
    }

    public boolean check() {
        return check;
    }

    public boolean skipped(String containerName) {
        return containerName != null && skippedContainers.contains(containerName);
    }

    public static final class Builder {
        private ImageMapping images = ImageMapping.builder().build();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private boolean check;
        private final Set<String> skippedContainers = new LinkedHashSet<>();
        private final Set<String> removedVariables = new LinkedHashSet<>();
        private String policyConfigMapText;
        private String policyConfigMapName;

        private Builder() {}

        public Builder images(ImageMapping mapping) {
            this.images = mapping;
            return this;
        }

        public Builder mode(String mode) {
            if (mode == null) return this;
            if (Mode.fromWire(mode) == null) {
                throw new DeployInputException("--mode must be learn, monitor or enforce, got '" + mode + "'");
            }
            environment.put(AgentSettings.ENV_MODE, mode);
            return this;
        }

        /** A policy path inside the container (for a policy mounted from a volume, secret or config map). */
        public Builder policyPath(String path) {
            if (path == null) return this;
            if (!path.startsWith("/"))
                throw new DeployInputException(
                        "--policy must be an absolute path in the container, got '" + path + "'");
            environment.put(AgentSettings.ENV_POLICY, path);
            return this;
        }

        /** The policy itself, validated here so that a broken policy never reaches a running service. */
        public Builder policyFile(Path file) throws IOException, PolicyException {
            if (file == null) return this;
            UserFiles.requireFile(file); // missing or a directory: an I/O error naming the path
            byte[] bytes;
            try (java.io.InputStream in =
                    Files.newInputStream(file)) { // bounded: an over-size file is refused by its size
                bytes = PolicyParser.readBounded(in, Files.size(file), file.toString());
            }
            PolicyParser.parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
            environment.put(AgentSettings.ENV_POLICY_BASE64, Base64.getEncoder().encodeToString(bytes));
            return this;
        }

        /**
         * The policy FILE, validated, delivered in the config map {@code name} mounted at {@link #POLICY_MOUNT_DIR}:
         * INLAY_POLICY names the mounted file (the agent reloads it when the config map changes), and an
         * INLAY_POLICY_B64 is removed, since it would take precedence.
         */
        public Builder policyConfigMap(Path file, String name) throws IOException, PolicyException {
            if (file == null) return this;
            if (name == null || !name.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
                throw new DeployInputException(
                        "--policy-configmap-name must be a Kubernetes object name, got '" + name + "'");
            }
            String text = UserFiles.readString(file);
            PolicyParser.parse(text, file.toString());
            policyConfigMapText = text;
            policyConfigMapName = name;
            environment.put(AgentSettings.ENV_POLICY, POLICY_MOUNT_DIR + "/" + POLICY_FILE_NAME);
            removedVariables.add(AgentSettings.ENV_POLICY_BASE64);
            return this;
        }

        public Builder sink(String sink) {
            if (sink == null) return this;
            boolean known = sink.equals("stdout")
                    || sink.equals("stderr")
                    || sink.matches("file:/.+")
                    || sink.matches("https?://[^/\\s]+(/\\S*)?");
            if (!known) {
                throw new DeployInputException(
                        "--sink must be stdout, stderr, file:/PATH or http://HOST:PORT/PATH, got '" + sink + "'");
            }
            environment.put(AgentSettings.envName(AgentSettings.SINK), sink);
            return this;
        }

        public Builder profileDir(String dir) {
            if (dir == null) return this;
            if (!dir.startsWith("/"))
                throw new DeployInputException(
                        "--profile-dir must be an absolute path in the container, got '" + dir + "'");
            environment.put(AgentSettings.envName(AgentSettings.PROFILE_DIR), dir);
            return this;
        }

        /** A candidate policy's path inside the container, evaluated beside the policy in force (never deciding). */
        public Builder shadowPolicyPath(String path) {
            if (path == null) return this;
            if (!path.startsWith("/")) {
                throw new DeployInputException(
                        "--shadow-policy must be an absolute path in the container, got '" + path + "'");
            }
            environment.put(AgentSettings.envName(AgentSettings.SHADOW_POLICY), path);
            return this;
        }

        /** Whether denials during start-up are enforced (the default) or only reported. */
        public Builder startup(String startup) {
            if (startup == null) return this;
            if (!startup.equals("enforce") && !startup.equals("monitor")) {
                throw new DeployInputException("--startup must be enforce or monitor, got '" + startup + "'");
            }
            environment.put(AgentSettings.envName(AgentSettings.STARTUP), startup);
            return this;
        }

        public Builder check(boolean onlyCheck) {
            this.check = onlyCheck;
            return this;
        }

        public Builder skipContainer(String name) {
            skippedContainers.add(name);
            return this;
        }

        public DeploySettings build() {
            return new DeploySettings(this);
        }
    }
}
