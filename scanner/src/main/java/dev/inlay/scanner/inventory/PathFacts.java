package dev.inlay.scanner.inventory;

import java.util.List;
import java.util.Map;

/**
 * What one file of a layer says: the components it identifies, the licences it states (a Debian copyright file) or
 * the key-value pairs it holds (os-release). Empty for a file the inventory looks at that says nothing: it still
 * replaces the same path of a lower layer.
 */
public record PathFacts(List<FoundComponent> components, List<String> licences, Map<String, String> values) {
    public static final PathFacts EMPTY = new PathFacts(List.of(), List.of(), Map.of());

    public PathFacts {
        components = components == null ? List.of() : List.copyOf(components);
        licences = licences == null ? List.of() : List.copyOf(licences);
        values = values == null ? Map.of() : Map.copyOf(values);
    }
}
