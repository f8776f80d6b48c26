package dev.inlay.cli.image;

import dev.inlay.cli.InputException;
import dev.inlay.scanner.cache.LayerFactCache;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where facts about layers are cached by layer digest (docs/WRAPPING.md, "The layer cache"). */
public final class LayerCacheOptions {
    @Option(
            names = "--cache-dir",
            paramLabel = "DIR",
            description =
                    "Cache of per-layer facts, by layer digest (default: $INLAY_CACHE_DIR, else $${XDG_CACHE_HOME:-~/.cache}/inlay/layers).")
    Path cacheDir;

    @Option(
            names = "--cache-max-size",
            paramLabel = "SIZE",
            converter = SizeConverter.class,
            description =
                    "Largest size of the cache; the least recently used entries go first (default: $INLAY_CACHE_MAX_SIZE, else 512M).")
    Long maxBytes;

    @Option(names = "--no-cache", description = "Read every layer; neither read nor write the layer cache.")
    boolean noCache;

    /** The cache, or null for none. */
    LayerFactCache cache() {
        return noCache ? null : located();
    }

    /** The cache, even with {@code --no-cache} (the {@code cache} commands manage it). */
    LayerFactCache located() {
        try {
            return LayerFactCache.locate(cacheDir, maxBytes == null ? null : String.valueOf(maxBytes), System.getenv());
        } catch (IllegalArgumentException e) {
            throw new InputException(LayerFactCache.MAX_SIZE_ENV + ": " + e.getMessage());
        }
    }

    /** A bad size typed on the command line is a bad command line (exit 2). */
    static final class SizeConverter implements picocli.CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return LayerFactCache.parseSize(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
