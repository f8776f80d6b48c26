package dev.inlay.instrumenter.wrap;

import dev.inlay.instrumenter.image.Layer;
import dev.inlay.scanner.cache.LayerFactCache;
import dev.inlay.scanner.inventory.ImageInventory;
import dev.inlay.scanner.inventory.LayerInventory;
import dev.inlay.scanner.inventory.LayerScanner;

import java.util.ArrayList;
import java.util.List;

/**
 * The inventory side of a pass over an image's layers: for each layer, its inventory from the cache (by diff_id),
 * or a {@link LayerScanner} that the pass feeds the layer's entries to and whose result is cached once the layer's
 * content is verified against its diff_id.
 */
public final class InventoryPass {
    private final LayerFactCache cache;
    private final List<String> diffIds = new ArrayList<>();
    private final List<LayerInventory> layers = new ArrayList<>();
    private int cachedLayers;

    /** @param cache where per-layer inventories are kept, or null for none */
    public InventoryPass(LayerFactCache cache) {
        this.cache = cache;
    }

    /** The cached inventory of the layer, or null when the layer's entries must be scanned. */
    public LayerInventory cached(Layer layer) {
        LayerInventory inventory = lookup(layer);
        if (inventory != null) add(layer, inventory, true);
        return inventory;
    }

    /** Records the layer's scanned inventory (called after its content matched its diff_id) and caches it. */
    public void scanned(Layer layer, LayerScanner scanner) {
        add(layer, store(layer, scanner), false);
    }

    /** The cached inventory of the layer, or null; records nothing (layers read in parallel are added in order). */
    LayerInventory lookup(Layer layer) {
        if (cache == null) return null;
        return cache.read(LayerInventory.KIND, LayerInventory.VERSION, layer.diffId(), LayerInventory.class)
                .orElse(null);
    }

    /** Finishes a scanned layer's inventory and caches it (its content matched its diff_id); records nothing. */
    LayerInventory store(Layer layer, LayerScanner scanner) {
        LayerInventory inventory = scanner.finish();
        if (cache != null) cache.write(LayerInventory.KIND, LayerInventory.VERSION, layer.diffId(), inventory);
        return inventory;
    }

    /** Adds the next layer's inventory, in layer order. */
    synchronized void add(Layer layer, LayerInventory inventory, boolean fromCache) {
        if (fromCache) cachedLayers++;
        diffIds.add(layer.diffId());
        layers.add(inventory);
    }

    public int cachedLayers() {
        return cachedLayers;
    }

    public ImageInventory inventory() {
        return ImageInventory.of(diffIds, layers);
    }
}
