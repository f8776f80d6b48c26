package dev.inlay.cli.image;

import dev.inlay.scanner.cache.LayerFactCache;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where facts about layers (the inventory) are cached by layer digest (docs/SCAN.md). */
public final class LayerCacheOptions {
    @Option(
            names = "--cache-dir",
            paramLabel = "DIR",
            description =
                    "Cache of per-layer facts, by layer digest (default: $INLAY_CACHE_DIR, else $${XDG_CACHE_HOME:-~/.cache}/inlay/layers).")
    Path cacheDir;

    @Option(names = "--no-cache", description = "Read every layer; neither read nor write the layer cache.")
    boolean noCache;

    /** The cache, or null for none. */
    LayerFactCache cache() {
        return noCache ? null : LayerFactCache.locate(cacheDir, System.getenv());
    }
}
