package dev.inlay.runtime;

import dev.inlay.model.Event;
import dev.inlay.model.JsonLine;
import dev.inlay.policy.Action;

/**
 * The one place where the agent writes what safe rollout adds to its lines (docs/EVENTS.md): the {@code phase} of a
 * decision ({@code startup} or {@code run}), the {@code shadow} line of a candidate policy's denial with the decision
 * of the policy in force, and the candidate's {@code shadow-hits}. Read back in one place too: the profiler's
 * {@code RolloutLines}.
 */
final class RolloutFields {
    static final String SHADOW = Event.SHADOW_KIND;
    static final String SHADOW_HITS = "shadow-hits";
    static final String STARTUP = Event.STARTUP;
    static final String RUN = Event.RUN_PHASE;
    private static final String MONITOR_SUFFIX = " (monitor mode)";

    private RolloutFields() {}

    /** What a shadow line says about the decision of the policy in force, captured in the application thread. */
    record Current(Action action, String rule, PolicyIdentity policy) {}

    static String phase(boolean startup) {
        return startup ? STARTUP : RUN;
    }

    /** The {@code "inlay"} type of a decision line. */
    static String type(Current current) {
        return current == null ? Event.KIND : SHADOW;
    }

    /**
     * {@code file read /x would be denied by rule default/files of the candidate policy}; an event's message, with the
     * start-up switch named when it let a denial through ({@code releasedAtStartup}).
     */
    static String message(
            String category,
            String operation,
            String resource,
            String component,
            Action action,
            boolean blocked,
            String rule,
            Current current,
            boolean releasedAtStartup) {
        String message =
                EventText.message(category, operation, resource, component, action, current == null && blocked, rule);
        if (current != null) {
            return message.substring(0, message.length() - MONITOR_SUFFIX.length()) + " of the candidate policy";
        }
        if (releasedAtStartup && message.endsWith(MONITOR_SUFFIX)) {
            return message.substring(0, message.length() - MONITOR_SUFFIX.length())
                    + " (start-up, INLAY_STARTUP=monitor)";
        }
        return message;
    }

    /** What a shadow line says of the decision in force: {@code {"action":..,"rule":..,"policy":{..}}}, or null. */
    static String currentJson(Current current) {
        if (current == null) return null;
        JsonLine decided =
                JsonLine.object().field("action", current.action().wireName()).field("rule", current.rule());
        if (current.policy() != null) decided.raw("policy", current.policy().json());
        return decided.end();
    }
}
