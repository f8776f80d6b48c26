package dev.inlay.profiler.generate;

import dev.inlay.policy.Category;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rule ids from content, so that a small change to a profile gives a small diff: {@code category-slug}; on a collision
 * every rule after the first (by category, then content) gets a short content hash suffix.
 */
final class RuleIds {
    private RuleIds() {}

    /** The drafts by id, in category order and then by id. */
    static Map<String, Draft> assign(Collection<Draft> drafts) {
        List<Draft> ordered = new ArrayList<>(drafts);
        ordered.sort(Comparator.comparing((Draft d) -> d.category.ordinal()).thenComparing(Draft::content));
        Map<String, Draft> byId =
                new TreeMap<>(Comparator.comparing(RuleIds::categoryOf).thenComparing(Comparator.naturalOrder()));
        Map<String, Draft> taken = new HashMap<>();
        for (Draft d : ordered) {
            String base = d.category.wireName() + "-" + Slugs.sanitize(d.slug);
            String id = taken.containsKey(base) ? base + "-" + shortHash(d.content()) : base;
            taken.put(id, d);
        }
        byId.putAll(taken);
        return byId;
    }

    private static int categoryOf(String id) {
        for (Category c : Category.values()) if (id.startsWith(c.wireName() + "-")) return c.ordinal();
        return Integer.MAX_VALUE;
    }

    static String shortHash(String content) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 3);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
