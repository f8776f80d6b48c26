package dev.inlay.scanner.inventory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The inventory of an image: its layers' facts merged as the runtime merges the layers (docs/WRAPPING.md): a path
 * in an upper layer replaces the same path below, {@code .wh.NAME} deletes a path and everything under it, an opaque
 * directory hides everything below it. A jar deleted in an upper layer is not in the image.
 */
public final class ImageInventory {
    /** A file's facts with the diff_id of the layer that holds it. */
    public record Located(String layer, PathFacts facts) {}

    private final TreeMap<String, Located> files = new TreeMap<>();

    /** Applies the next layer, bottom to top. */
    public void apply(String layerDiffId, LayerInventory layer) {
        for (String dir : layer.opaqueDirs()) removeChildren(dir.equals("/") ? "" : dir);
        for (String path : layer.removed()) {
            files.remove(path);
            removeChildren(path);
        }
        for (Map.Entry<String, PathFacts> f : layer.files().entrySet()) {
            files.put(f.getKey(), new Located(layerDiffId, f.getValue()));
        }
    }

    private void removeChildren(String dir) {
        files.subMap(dir + "/", dir + "/\uffff").clear();
    }

    public static ImageInventory of(List<String> layerDiffIds, List<LayerInventory> layers) {
        ImageInventory inventory = new ImageInventory();
        for (int i = 0; i < layers.size(); i++) inventory.apply(layerDiffIds.get(i), layers.get(i));
        return inventory;
    }

    /** os-release's values ({@code ID}, {@code VERSION_ID}, ...); empty when the image has none. */
    public Map<String, String> osRelease() {
        for (String path : LayerScanner.OS_RELEASE) {
            Located l = files.get(path);
            if (l != null && !l.facts().values().isEmpty()) return l.facts().values();
        }
        return Map.of();
    }

    /** The layer that holds the os-release file, or null. */
    public String osReleaseLayer() {
        for (String path : LayerScanner.OS_RELEASE) {
            Located l = files.get(path);
            if (l != null && !l.facts().values().isEmpty()) return l.layer();
        }
        return null;
    }

    /** Every component of the merged filesystem, each with the layer it came from, sorted by location then name. */
    public List<Found> components() {
        Map<String, List<String>> copyrights = new HashMap<>();
        for (Map.Entry<String, Located> f : files.entrySet()) {
            String pkg = LayerScanner.copyrightPackage(f.getKey());
            if (pkg != null && !f.getValue().facts().licences().isEmpty())
                copyrights.put(pkg, f.getValue().facts().licences());
        }
        List<Found> out = new ArrayList<>();
        for (Map.Entry<String, Located> f : files.entrySet()) {
            for (FoundComponent c : f.getValue().facts().components()) {
                if (c.kind() == FoundComponent.Kind.DEB && c.licences().isEmpty()) {
                    List<String> licences = copyrights.get(c.name());
                    if (licences != null) {
                        c = new FoundComponent(
                                c.kind(),
                                c.group(),
                                c.name(),
                                c.version(),
                                licences,
                                c.evidence(),
                                c.evidenceSource(),
                                c.confidence(),
                                c.location(),
                                c.attributes(),
                                c.nested());
                    }
                }
                out.add(new Found(f.getValue().layer(), c));
            }
        }
        out.sort(Comparator.comparing((Found x) -> x.component().location())
                .thenComparing(x -> x.component().name()));
        return out;
    }

    public record Found(String layer, FoundComponent component) {}
}
