package dev.inlay.profiler.profile;

import dev.inlay.policy.Category;
import dev.inlay.policy.Operation;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What makes two observations the same behavior (docs/PROFILE.md): category, operation, resource, for processes the
 * whole command line, and the component that asked ({@code dev.inlay.model.Component#id}; null for the JVM itself or a
 * profile recorded without attribution). {@code args} is empty for every other category.
 */
public record BehaviorKey(Category category, Operation operation, String resource, List<String> args, String component)
        implements Comparable<BehaviorKey> {

    private static final Comparator<BehaviorKey> ORDER = Comparator.comparing((BehaviorKey k) -> k.category.wireName())
            .thenComparing(k -> k.operation.wireName())
            .thenComparing(BehaviorKey::resource)
            .thenComparing(BehaviorKey::args, BehaviorKey::compareLists)
            .thenComparing(BehaviorKey::component, Comparator.nullsFirst(Comparator.naturalOrder()));

    public BehaviorKey {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(resource, "resource");
        args = List.copyOf(args);
    }

    /** A behavior of the JVM itself, or of a profile without attribution. */
    public BehaviorKey(Category category, Operation operation, String resource, List<String> args) {
        this(category, operation, resource, args, null);
    }

    @Override
    public int compareTo(BehaviorKey o) {
        return ORDER.compare(this, o);
    }

    private static int compareLists(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) return c;
        }
        return Integer.compare(a.size(), b.size());
    }

    @Override
    public String toString() {
        return category.wireName() + " " + operation.wireName() + " " + resource + (args.isEmpty() ? "" : " " + args)
                + (component == null ? "" : " by " + component);
    }
}
