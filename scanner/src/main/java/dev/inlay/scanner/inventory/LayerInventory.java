package dev.inlay.scanner.inventory;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The inventory facts of one layer, keyed by path, with the layer's whiteouts: everything the merge needs, so that a
 * cached layer is never read again. One kind of per-layer fact ({@link #KIND}); the cache keys it by the layer's
 * diff_id.
 *
 * @param removed    paths a {@code .wh.NAME} whiteout deletes from the layers below
 * @param opaqueDirs directories a {@code .wh..wh..opq} whiteout empties in the layers below
 * @param files      the facts of every file of this layer the inventory looks at
 */
public record LayerInventory(List<String> removed, List<String> opaqueDirs, Map<String, PathFacts> files) {
    /** The cache's name for this kind of fact; bump {@link #VERSION} whenever what is identified changes. */
    public static final String KIND = "inventory";

    public static final int VERSION = 1;

    public LayerInventory {
        removed = List.copyOf(removed);
        opaqueDirs = List.copyOf(opaqueDirs);
        files = new TreeMap<>(files);
    }
}
