package dev.inlay.instrumenter.wrap;

import dev.inlay.policy.Mode;
import dev.inlay.scanner.cache.LayerFactCache;

/**
 * What {@code inlay wrap} puts into an image. Nothing else typed on the command line (the spelling of the source)
 * reaches the layer: the same image, mode and policy give the same wrapped digest.
 *
 * @param policy    the validated policy document, or null
 * @param baseline  stream the original layers to record the drift baseline and find the JVMs
 * @param force     wrap even when no JVM is found
 * @param startupArchive make a class data sharing archive of the image's JDK for starts with the agent (runs the
 *                       image's JVM here: {@link StartupArchive})
 * @param layerCache where per-layer inventories are cached by diff_id, or null for no cache
 * @param gate       refuses an image whose inventory fails it ({@code --scan-db}), or null for none; needs the layers read
 */
public record WrapOptions(Mode mode, byte[] policy, boolean baseline, boolean force, byte[] agentJar,
                          String inlayVersion, boolean startupArchive, LayerFactCache layerCache, ImageGate gate) {
    public WrapOptions {
        if (mode == null) throw new IllegalArgumentException("a mode is required");
        if (agentJar == null || agentJar.length == 0) throw new IllegalStateException("the agent jar is missing");
        if (startupArchive && !baseline) throw new IllegalArgumentException("a startup archive needs the layers read");
        if (gate != null && !baseline) throw new IllegalArgumentException("a scan gate needs the layers read (not with --no-baseline)");
    }
}
