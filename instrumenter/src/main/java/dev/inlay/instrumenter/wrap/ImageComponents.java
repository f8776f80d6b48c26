package dev.inlay.instrumenter.wrap;

import com.github.packageurl.PackageURL;
import dev.inlay.model.ComponentMap;
import dev.inlay.scanner.inventory.FoundComponent;
import dev.inlay.scanner.inventory.ImageInventory;
import dev.inlay.scanner.sbom.SbomWriter;

import java.util.Map;
import java.util.TreeMap;

/**
 * The image's component map ({@link dev.inlay.model.LayerLayout#COMPONENTS}): each Maven jar the inventory identified,
 * nested ones too (Spring Boot's {@code BOOT-INF/lib/*.jar}), at its location as the agent derives it from a code
 * source, with its package URL (docs/COVERAGE.md, "Attribution"). A jar without coordinates is left out (the agent
 * names it by its path); a shaded jar is its own package, or its path, never one of the packages shaded into it: its
 * classes share one code source.
 */
public final class ImageComponents {
    private ImageComponents() {}

    public static Map<String, String> map(ImageInventory inventory) {
        Map<String, String> map = new TreeMap<>();
        for (ImageInventory.Found found : inventory.components()) add(found.component(), map);
        return map;
    }

    private static void add(FoundComponent c, Map<String, String> map) {
        if (c.attributes().containsKey("shaded")) return; // classes inside another jar: that jar's code source
        if (c.kind() == FoundComponent.Kind.MAVEN) {
            PackageURL purl = SbomWriter.purl(c, Map.of());
            if (purl != null) map.putIfAbsent(ComponentMap.location(c.location()), purl.canonicalize());
        }
        for (FoundComponent n : c.nested()) add(n, map);
    }
}
