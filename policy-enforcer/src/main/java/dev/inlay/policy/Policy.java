package dev.inlay.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed, validated policy document. Immutable. Rules keep document order, which decides ties between rules of
 * equal severity. A category without a default in the document defaults to {@link Action#DENY}: a policy is a list of
 * what is allowed.
 */
public final class Policy {
    public static final String API_VERSION = "inlay.dev/v1";
    public static final String KIND = "Policy";

    private final String name;
    private final Map<String, String> labels;
    private final Mode mode;
    private final boolean failOpen;
    private final Map<Category, Action> defaults;
    private final List<Rule> rules;

    private Policy(Builder b) {
        this.name = b.name;
        this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(b.labels));
        this.mode = b.mode;
        this.failOpen = b.failOpen;
        EnumMap<Category, Action> d = new EnumMap<>(Category.class);
        for (Category c : Category.values()) d.put(c, b.defaults.getOrDefault(c, Action.DENY));
        this.defaults = Collections.unmodifiableMap(d);
        this.explicitDefaults = Collections.unmodifiableMap(new EnumMap<>(b.defaults));
        this.rules = List.copyOf(b.rules);
    }

    private final Map<Category, Action> explicitDefaults;

    public String name() {
        return name;
    }

    public Map<String, String> labels() {
        return labels;
    }

    public Mode mode() {
        return mode;
    }

    /** When true, an internal failure to decide allows the operation instead of denying it. */
    public boolean failOpen() {
        return failOpen;
    }

    public Action defaultAction(Category category) {
        return defaults.get(category);
    }

    /** Defaults as written in the document (categories the document leaves out are absent). */
    public Map<Category, Action> explicitDefaults() {
        return explicitDefaults;
    }

    public List<Rule> rules() {
        return rules;
    }

    public List<Rule> rules(Category category) {
        List<Rule> out = new ArrayList<>();
        for (Rule r : rules) if (r.category() == category) out.add(r);
        return out;
    }

    public Builder toBuilder() {
        Builder b = builder(name).mode(mode).failOpen(failOpen);
        b.labels.putAll(labels);
        b.defaults.putAll(explicitDefaults);
        b.rules.addAll(rules);
        return b;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Policy p
                && name.equals(p.name)
                && labels.equals(p.labels)
                && mode == p.mode
                && failOpen == p.failOpen
                && explicitDefaults.equals(p.explicitDefaults)
                && rules.equals(p.rules);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, mode, rules);
    }

    public static final class Builder {
        private final String name;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private Mode mode = Mode.ENFORCE;
        private boolean failOpen;
        private final Map<Category, Action> defaults = new EnumMap<>(Category.class);
        private final List<Rule> rules = new ArrayList<>();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode);
            return this;
        }

        public Builder failOpen(boolean failOpen) {
            this.failOpen = failOpen;
            return this;
        }

        public Builder defaultAction(Category category, Action action) {
            defaults.put(category, action);
            return this;
        }

        public Builder rule(Rule rule) {
            rules.add(rule);
            return this;
        }

        public Builder rules(List<Rule> all) {
            rules.addAll(all);
            return this;
        }

        public Policy build() {
            return new Policy(this);
        }
    }
}
