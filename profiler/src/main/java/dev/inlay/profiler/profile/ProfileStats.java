package dev.inlay.profiler.profile;

import dev.inlay.policy.Category;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * How complete learning looks: distinct behaviors per category, how long since a behavior was first seen (a long quiet
 * time means the application keeps doing what it did), and how many runs and replicas contributed.
 */
public record ProfileStats(long documents, int distinctBehaviors, Map<Category, Integer> perCategory, long runs,
                           long replicas, long newestFirstSeen, long newestWritten) {

    public static ProfileStats of(MergedProfile profile) {
        Map<Category, Integer> per = new EnumMap<>(Category.class);
        long newestFirst = Long.MIN_VALUE;
        long newestLast = Long.MIN_VALUE;
        for (Map.Entry<BehaviorKey, BehaviorStats> e : profile.behaviors().entrySet()) {
            per.merge(e.getKey().category(), 1, Integer::sum);
            if (e.getValue().firstMillis() != Long.MAX_VALUE) newestFirst = Math.max(newestFirst, e.getValue().firstMillis());
            newestLast = Math.max(newestLast, e.getValue().lastMillis());
        }
        long written = Math.max(profile.writtenMillis(), newestLast);
        return new ProfileStats(profile.documents(), profile.distinctBehaviors(), per, profile.runs(), profile.replicas(),
                newestFirst, written);
    }

    /** Time from the newest first-seen behavior to the newest document: how long nothing new was learned. */
    public Duration quiet() {
        if (newestFirstSeen == Long.MIN_VALUE || newestWritten == Long.MIN_VALUE) return Duration.ZERO;
        return Duration.ofMillis(Math.max(0, newestWritten - newestFirstSeen));
    }
}
