package dev.inlay.deploy;

import dev.inlay.model.AgentFlag;
import dev.inlay.model.AgentSettings;

import java.util.Map;

/**
 * The one place that decides what happens to a container, for every platform: map (or check) its image, set the
 * {@code INLAY_*} variables and {@code INLAY_IMAGE} (the image the container runs, which the agent reports as the
 * image in every event: docs/EVENTS.md), keep the agent flag in an overridden JAVA_TOOL_OPTIONS, and on Kubernetes
 * add the downward-API identity variables. Only containers whose image is (or becomes) a wrapped one are touched.
 */
final class ContainerRewriter {
    /** Downward-API variables the agent reads to name the replica and workload in events and profiles. */
    static final Map<String, String> KUBERNETES_IDENTITY = Map.of(
            "POD_NAME", "metadata.name",
            "POD_NAMESPACE", "metadata.namespace",
            "NODE_NAME", "spec.nodeName");

    private static final String[] IDENTITY_ORDER = {"POD_NAME", "POD_NAMESPACE", "NODE_NAME"};

    private final DeploySettings settings;
    private final boolean downwardApi;

    /** The image reference the container runs, for the agent's events: the wrapped image's own identity. */
    static final String IMAGE_VARIABLE = AgentSettings.ENV_IMAGE;

    ContainerRewriter(DeploySettings settings, boolean downwardApi) {
        this.settings = settings;
        this.downwardApi = downwardApi;
    }

    ContainerReport rewrite(Container c) {
        c.checkShape();
        String image = c.image();
        ContainerReport report = new ContainerReport(c.where(), c.name(), image);
        if (settings.skipped(c.name())) {
            report.status(ContainerReport.Status.SKIPPED, "--skip-container");
            return report;
        }
        if (image == null) {
            report.status(
                    settings.check() ? ContainerReport.Status.NOT_WRAPPED : ContainerReport.Status.LEFT_AS_IS,
                    "the container has no image");
            return report;
        }
        ImageMapping.Resolution r = settings.images().resolve(image);
        if (settings.check()) {
            if (!r.alreadyWrapped()) {
                report.status(
                        ContainerReport.Status.NOT_WRAPPED, r.isWrapped() ? "expected " + r.wrapped() : r.reason());
                return report;
            }
            report.status(ContainerReport.Status.ALREADY_WRAPPED, null);
        } else if (!r.isWrapped()) {
            report.status(ContainerReport.Status.LEFT_AS_IS, r.reason());
            return report;
        } else if (r.alreadyWrapped()) {
            report.status(ContainerReport.Status.ALREADY_WRAPPED, null);
        } else {
            c.setImage(r.wrapped());
            report.imageAfter(r.wrapped());
            report.status(ContainerReport.Status.WRAPPED, null);
            report.change("image " + image + " -> " + r.wrapped());
        }
        Container.Env env = c.env();
        for (String name : settings.removedVariables()) {
            Container.Entry had = env.get(name);
            if (had != null && env.remove(name))
                report.change("- " + name + (had.isLiteral() ? "" : " (was " + had.reference() + ")"));
        }
        setInlayVariables(env, report);
        setVariable(env, IMAGE_VARIABLE, c.image(), "the container's image", report);
        keepAgentFlag(env, report);
        warnOnLauncherOptions(env, report);
        if (downwardApi) addIdentity(env, report);
        for (String source : env.opaqueSources()) {
            report.warn(source + " is not inspected: it must not set JAVA_TOOL_OPTIONS without "
                    + AgentFlag.layerOptions() + " nor INLAY_* variables");
        }
        return report;
    }

    private void setInlayVariables(Container.Env env, ContainerReport report) {
        for (Map.Entry<String, String> want : settings.environment().entrySet()) {
            setVariable(env, want.getKey(), want.getValue(), "the value given on the command line", report);
        }
    }

    private static void setVariable(
            Container.Env env, String name, String value, String source, ContainerReport report) {
        Container.Entry have = env.get(name);
        if (have == null) {
            env.put(name, value);
            report.change("+ " + name + "=" + display(name, value));
        } else if (!have.isLiteral()) {
            env.put(name, value);
            report.change("~ " + name + "=" + display(name, value) + " (was " + have.reference() + ")");
            report.warn(name + " was set from " + have.reference() + "; replaced by " + source);
        } else if (!have.literal().equals(value)) {
            env.put(name, value);
            report.change("~ " + name + "=" + display(name, value) + " (was " + display(name, have.literal()) + ")");
        }
    }

    /** A JAVA_TOOL_OPTIONS in the deployment replaces the image's, which is where {@code inlay wrap} put the agent. */
    private static void keepAgentFlag(Container.Env env, ContainerReport report) {
        Container.Entry jto = env.get(DeploySettings.JAVA_TOOL_OPTIONS);
        if (jto == null) return;
        if (!jto.isLiteral()) {
            report.warn(DeploySettings.JAVA_TOOL_OPTIONS + " comes from " + jto.reference()
                    + " and replaces the image's value: it must contain " + AgentFlag.layerOptions()
                    + " or the agent does not load");
            return;
        }
        String value = jto.literal();
        if (AgentFlag.loadsLayerAgent(value)) return;
        String kept =
                value.isBlank() ? DeploySettings.AGENT_FLAG : value.stripTrailing() + " " + DeploySettings.AGENT_FLAG;
        env.put(DeploySettings.JAVA_TOOL_OPTIONS, kept);
        report.change("~ " + DeploySettings.JAVA_TOOL_OPTIONS + "=" + kept);
        report.warn("the deployment sets " + DeploySettings.JAVA_TOOL_OPTIONS
                + ", which replaces the image's value and would drop the agent: appended " + DeploySettings.AGENT_FLAG);
    }

    /**
     * A JDK_JAVA_OPTIONS in the deployment replaces the image's, where {@code inlay wrap} put
     * {@code -agentlib:instrument=} for a class-path launch (label {@code dev.inlay.agent-flag=agentlib}). Not changed
     * here: the deployment does not know the image's launch, and that option in a module launch stops the JVM. The
     * admission check refuses such a pod.
     */
    private static void warnOnLauncherOptions(Container.Env env, ContainerReport report) {
        String variable = AgentFlag.AGENTLIB.variable();
        Container.Entry jdk = env.get(variable);
        if (jdk == null || (jdk.isLiteral() && AgentFlag.loadsLayerAgent(jdk.literal()))) return;
        report.warn("the deployment sets " + variable + (jdk.isLiteral() ? "" : " from " + jdk.reference())
                + ", which replaces the image's: an image wrapped for a class-path launch (label dev.inlay.agent-flag="
                + AgentFlag.AGENTLIB.wireName() + ") loads the agent there, so the value must contain "
                + AgentFlag.AGENTLIB.layerOption());
    }

    private static void addIdentity(Container.Env env, ContainerReport report) {
        for (String name : IDENTITY_ORDER) {
            if (env.get(name) != null) continue;
            String path = KUBERNETES_IDENTITY.get(name);
            env.putFieldRef(name, path);
            report.change("+ " + name + " from fieldRef " + path);
        }
    }

    /** Keeps policies out of the summary: they can be long and a summary ends up in CI logs. */
    static String display(String name, String value) {
        if (name.equals(AgentSettings.ENV_POLICY_BASE64)) return "<policy, " + value.length() + " base64 characters>";
        return value;
    }
}
