package dev.inlay.instrumenter.wrap;

import dev.inlay.model.AgentFlag;
import dev.inlay.policy.Mode;
import dev.inlay.scanner.cache.LayerFactCache;

/**
 * What {@code inlay wrap} puts into an image. Nothing else typed on the command line (the spelling of the source)
 * reaches the layer: the same image, mode and policy give the same wrapped digest.
 *
 * @param policy    the validated policy document, parsed once, or null
 * @param baseline  stream the original layers to record the drift baseline and find the JVMs
 * @param force     wrap even when no JVM is found
 * @param startupArchive make a class data sharing archive of the image's JDK for starts with the agent (runs the
 *                       image's JVM here: {@link StartupArchive})
 * @param shadowPolicy   the validated candidate policy evaluated beside {@code policy} (docs/DEPLOY.md, "Promoting a
 *                       policy safely"), or null
 * @param layerCache where per-layer inventories are cached by diff_id, or null for no cache
 * @param gate       refuses an image whose inventory fails it ({@code --scan-db}), or null for none; needs the layers read
 * @param agentFlag  the option that loads the agent ({@code --agent-flag}), or null for the one the launch allows
 *                   ({@link LaunchAnalysis}; without the layers, from the config alone)
 */
public record WrapOptions(
        Mode mode,
        PolicyDocument policy,
        boolean baseline,
        boolean force,
        byte[] agentJar,
        String inlayVersion,
        boolean startupArchive,
        PolicyDocument shadowPolicy,
        LayerFactCache layerCache,
        ImageGate gate,
        AgentFlag agentFlag) {
    /** Without a candidate policy, an inventory cache or a scan gate. */
    public WrapOptions(
            Mode mode,
            PolicyDocument policy,
            boolean baseline,
            boolean force,
            byte[] agentJar,
            String inlayVersion,
            boolean startupArchive) {
        this(mode, policy, baseline, force, agentJar, inlayVersion, startupArchive, null, null, null, null);
    }

    public WrapOptions {
        if (mode == null) throw new IllegalArgumentException("a mode is required");
        if (agentJar == null || agentJar.length == 0) throw new IllegalStateException("the agent jar is missing");
        if (startupArchive && !baseline) throw new IllegalArgumentException("a startup archive needs the layers read");
        if (shadowPolicy != null && policy == null)
            throw new IllegalArgumentException("a shadow policy needs a policy");
        if (gate != null && !baseline)
            throw new IllegalArgumentException("a scan gate needs the layers read (not with --no-baseline)");
    }
}
