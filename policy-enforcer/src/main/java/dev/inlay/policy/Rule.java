package dev.inlay.policy;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One rule of a policy: within its category, the operations and resources it covers and what happens to them.
 * Immutable. The id is stable across regenerations so that events, diffs and hit counts can name it.
 */
public final class Rule {
    private final String id;
    private final Category category;
    private final Action action;
    private final Set<Operation> operations;
    private final Map<Selector, List<String>> selectors;

    public Rule(
            String id,
            Category category,
            Action action,
            Set<Operation> operations,
            Map<Selector, List<String>> selectors) {
        this.id = Objects.requireNonNull(id, "id");
        this.category = Objects.requireNonNull(category, "category");
        this.action = Objects.requireNonNull(action, "action");
        this.operations =
                operations.isEmpty() ? category.operations() : Collections.unmodifiableSet(EnumSet.copyOf(operations));
        EnumMap<Selector, List<String>> copy = new EnumMap<>(Selector.class);
        for (Map.Entry<Selector, List<String>> e : selectors.entrySet())
            copy.put(e.getKey(), List.copyOf(e.getValue()));
        this.selectors = Collections.unmodifiableMap(copy);
    }

    public String id() {
        return id;
    }

    public Category category() {
        return category;
    }

    public Action action() {
        return action;
    }

    /** The operations this rule covers; all of its category's when the document names none. */
    public Set<Operation> operations() {
        return operations;
    }

    public Map<Selector, List<String>> selectors() {
        return selectors;
    }

    /** The values of one selector; empty when the rule does not constrain it. */
    public List<String> values(Selector selector) {
        return selectors.getOrDefault(selector, List.of());
    }

    public Builder toBuilder() {
        return new Builder(id, category).action(action).operations(operations).selectors(selectors);
    }

    public static Builder builder(String id, Category category) {
        return new Builder(id, category);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rule r
                && id.equals(r.id)
                && category == r.category
                && action == r.action
                && operations.equals(r.operations)
                && selectors.equals(r.selectors);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, category, action, operations, selectors);
    }

    @Override
    public String toString() {
        return category.yamlName() + "/" + id + " " + action.wireName() + " " + operations + " " + selectors;
    }

    /** Builds a rule; unset action means allow, unset operations means all operations of the category. */
    public static final class Builder {
        private final String id;
        private final Category category;
        private Action action = Action.ALLOW;
        private final Set<Operation> operations = EnumSet.noneOf(Operation.class);
        private final Map<Selector, List<String>> selectors = new EnumMap<>(Selector.class);

        private Builder(String id, Category category) {
            this.id = id;
            this.category = category;
        }

        public Builder action(Action action) {
            this.action = action;
            return this;
        }

        public Builder operations(Set<Operation> ops) {
            operations.clear();
            operations.addAll(ops);
            return this;
        }

        public Builder operations(Operation... ops) {
            return operations(Set.of(ops));
        }

        public Builder selectors(Map<Selector, List<String>> values) {
            selectors.clear();
            selectors.putAll(values);
            return this;
        }

        public Builder selector(Selector selector, List<String> values) {
            selectors.put(selector, values);
            return this;
        }

        public Builder selector(Selector selector, String... values) {
            return selector(selector, List.of(values));
        }

        public Rule build() {
            return new Rule(id, category, action, operations, selectors);
        }
    }
}
