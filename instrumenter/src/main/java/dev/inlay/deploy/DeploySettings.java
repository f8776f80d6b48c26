package dev.inlay.deploy;

import dev.inlay.policy.Mode;
import dev.inlay.policy.PolicyException;
import dev.inlay.policy.PolicyParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
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
    /** The flag {@code inlay wrap} appends to JAVA_TOOL_OPTIONS; a deployment that overrides the variable must keep it. */
    public static final String AGENT_FLAG = "-javaagent:/opt/inlay/inlay-agent.jar";
    public static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";

    private final ImageMapping images;
    private final Map<String, String> environment;
    private final boolean check;
    private final Set<String> skippedContainers;

    private DeploySettings(Builder b) {
        this.images = b.images;
        this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(b.environment));
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

        private Builder() {
        }

        public Builder images(ImageMapping mapping) {
            this.images = mapping;
            return this;
        }

        public Builder mode(String mode) {
            if (mode == null) return this;
            if (Mode.fromWire(mode) == null) {
                throw new DeployInputException("--mode must be learn, monitor or enforce, got '" + mode + "'");
            }
            environment.put("INLAY_MODE", mode);
            return this;
        }

        /** A policy path inside the container (for a policy mounted from a volume, secret or config map). */
        public Builder policyPath(String path) {
            if (path == null) return this;
            if (!path.startsWith("/")) throw new DeployInputException("--policy must be an absolute path in the container, got '" + path + "'");
            environment.put("INLAY_POLICY", path);
            return this;
        }

        /** The policy itself, validated here so that a broken policy never reaches a running service. */
        public Builder policyFile(Path file) throws IOException, PolicyException {
            if (file == null) return this;
            byte[] bytes;
            try (java.io.InputStream in = Files.newInputStream(file)) { // bounded: an over-size file is refused by its size
                bytes = PolicyParser.readBounded(in, Files.size(file), file.toString());
            }
            PolicyParser.parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
            environment.put("INLAY_POLICY_B64", Base64.getEncoder().encodeToString(bytes));
            return this;
        }

        public Builder sink(String sink) {
            if (sink == null) return this;
            boolean known = sink.equals("stdout") || sink.equals("stderr")
                    || sink.matches("file:/.+") || sink.matches("https?://[^/\\s]+(/\\S*)?");
            if (!known) {
                throw new DeployInputException("--sink must be stdout, stderr, file:/PATH or http://HOST:PORT/PATH, got '" + sink + "'");
            }
            environment.put("INLAY_SINK", sink);
            return this;
        }

        public Builder profileDir(String dir) {
            if (dir == null) return this;
            if (!dir.startsWith("/")) throw new DeployInputException("--profile-dir must be an absolute path in the container, got '" + dir + "'");
            environment.put("INLAY_PROFILE_DIR", dir);
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
