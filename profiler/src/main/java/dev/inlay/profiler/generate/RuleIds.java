package dev.inlay.profiler.generate;

import dev.inlay.model.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rule ids from content, so that a small change to a profile gives a small diff: {@code category-slug}, and for a rule
 * scoped to components {@code component-category-slug} ({@code log4j-core-jndi-java}); on a collision every rule after
 * the first (by category, then content) gets a short content hash suffix.
 */
final class RuleIds {
    /** The component part of an id, so that with the category, the slug and a hash it stays within 100 characters. */
    private static final int MAX_COMPONENT_LENGTH = 28;
    /** An id before its hash suffix ('-' and six hex digits): ids are at most 100 characters. */
    private static final int MAX_BASE_LENGTH = 93;

    private RuleIds() {}

    /**
     * The drafts by id, in category order; within a category the rules for everyone first, then those of each
     * component together (by their components), each group by id.
     */
    static Map<String, Draft> assign(Collection<Draft> drafts) {
        List<Draft> ordered = new ArrayList<>(drafts);
        ordered.sort(Comparator.comparing((Draft d) -> d.category.ordinal()).thenComparing(Draft::content));
        Map<String, Draft> taken = new HashMap<>();
        for (Draft d : ordered) {
            String head = prefix(d) + d.category.wireName() + "-";
            String slug = Slugs.sanitize(d.slug);
            int room = MAX_BASE_LENGTH - head.length(); // a long component name leaves less for the slug
            if (slug.length() > room)
                slug = slug.substring(slug.length() - room).replaceAll("^-+", "");
            String base = head + (slug.isEmpty() ? "root" : slug);
            String id = taken.containsKey(base) ? base + "-" + shortHash(d.content()) : base;
            taken.put(id, d);
        }
        List<Map.Entry<String, Draft>> byId = new ArrayList<>(taken.entrySet());
        byId.sort(Comparator.comparing(
                        (Map.Entry<String, Draft> e) -> e.getValue().category.ordinal())
                .thenComparing(e -> scope(e.getValue()))
                .thenComparing(Map.Entry::getKey));
        Map<String, Draft> out = new LinkedHashMap<>();
        for (Map.Entry<String, Draft> e : byId) out.put(e.getKey(), e.getValue());
        return out;
    }

    /** Empty for a rule for everyone (sorts first), else its components. */
    private static String scope(Draft d) {
        return d.components == null ? "" : String.join(" ", d.components);
    }

    /** {@code log4j-core-}, {@code app-}, {@code log4j-core-and-2-more-}; empty for a rule for everyone. */
    private static String prefix(Draft d) {
        if (d.components == null || d.components.isEmpty()) return "";
        String first = d.components.first();
        String name = Component.name(first);
        if (!Component.isPackage(first) && name.toLowerCase(Locale.ROOT).endsWith(".jar"))
            name = name.substring(0, name.length() - 4);
        name = Slugs.sanitize(name);
        if (name.length() > MAX_COMPONENT_LENGTH)
            name = name.substring(0, MAX_COMPONENT_LENGTH).replaceAll("-+$", "");
        int more = d.components.size() - 1;
        return name + (more > 0 ? "-and-" + more + "-more" : "") + "-";
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
