package dev.inlay.profiler.profile;

import dev.inlay.policy.Category;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * How complete learning looks: distinct behaviors per category, how long since a behavior was first seen (a long quiet
 * time means the application keeps doing what it did), and how many runs and replicas contributed.
 */
public record ProfileStats(
        long documents,
        int distinctBehaviors,
        Map<Category, Integer> perCategory,
        long runs,
        long replicas,
        long newestFirstSeen,
        long newestWritten,
        long notRecorded,
        long missingDocuments,
        int summaries) {

    public static ProfileStats of(MergedProfile profile) {
        Map<Category, Integer> per = new EnumMap<>(Category.class);
        int summaries = 0;
        long newestFirst = Long.MIN_VALUE;
        long newestLast = Long.MIN_VALUE;
        for (Map.Entry<BehaviorKey, BehaviorStats> e : profile.behaviors().entrySet()) {
            per.merge(e.getKey().category(), 1, Integer::sum);
            if (e.getKey().category() == Category.FILE && isSummary(e.getKey().resource())) summaries++;
            if (e.getValue().firstMillis() != Long.MAX_VALUE)
                newestFirst = Math.max(newestFirst, e.getValue().firstMillis());
            newestLast = Math.max(newestLast, e.getValue().lastMillis());
        }
        long written = Math.max(profile.writtenMillis(), newestLast);
        return new ProfileStats(
                profile.documents(),
                profile.distinctBehaviors(),
                per,
                profile.runs(),
                profile.replicas(),
                newestFirst,
                written,
                profile.notRecorded(),
                profile.missingDocuments(),
                summaries);
    }

    /** A directory the agent summarized ({@code dir/*}, {@code dir/**}: docs/PROFILE.md). */
    static boolean isSummary(String resource) {
        return resource.endsWith("/*") || resource.endsWith("/**");
    }

    /** Whether every operation the agent saw was recorded, and every document it wrote was read. */
    public boolean complete() {
        return notRecorded == 0 && missingDocuments == 0;
    }

    /** Time from the newest first-seen behavior to the newest document: how long nothing new was learned. */
    public Duration quiet() {
        if (newestFirstSeen == Long.MIN_VALUE || newestWritten == Long.MIN_VALUE) return Duration.ZERO;
        return Duration.ofMillis(Math.max(0, newestWritten - newestFirstSeen));
    }
}
