package dev.inlay.profiler.generate;

import dev.inlay.policy.Category;
import dev.inlay.policy.Selector;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The drafts of one generation by category and identity (the selector values that name them), in a stable order: what
 * drafting fills and every pass rewrites.
 */
final class Drafts {
    private final Map<String, Draft> byKey = new TreeMap<>();

    static String key(Category category, String identity) {
        return category.ordinal() + "|" + category.wireName() + "|" + identity;
    }

    /** The draft of that identity, made with {@code slug} on first use. */
    Draft draft(Category category, String identity, String slug) {
        return byKey.computeIfAbsent(key(category, identity), k -> new Draft(category, slug));
    }

    Draft get(String key) {
        return byKey.get(key);
    }

    Draft remove(String key) {
        return byKey.remove(key);
    }

    Set<Map.Entry<String, Draft>> entries() {
        return byKey.entrySet();
    }

    Collection<Draft> all() {
        return byKey.values();
    }

    /** Puts a draft under a key no draft holds. */
    void putKey(String key, Draft draft) {
        byKey.put(key, draft);
    }

    /** Puts {@code draft} under its identity, or folds it into the draft already there. */
    void put(Category category, String identity, Draft draft) {
        Draft existing = byKey.get(key(category, identity));
        if (existing != null) existing.absorb(draft);
        else byKey.put(key(category, identity), draft);
    }

    /** Replaces the drafts under {@code keys} by one draft whose only selector value is {@code pattern}. */
    void merge(Category category, String pattern, List<String> keys, Selector selector, String slug) {
        Draft merged = new Draft(category, slug);
        for (String k : keys) merged.absorb(byKey.remove(k));
        merged.selectors.clear();
        merged.values(selector).add(pattern);
        put(category, pattern, merged);
    }
}
