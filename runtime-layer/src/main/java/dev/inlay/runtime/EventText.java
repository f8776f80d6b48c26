package dev.inlay.runtime;

import dev.inlay.policy.Action;

/** The derived fields of an event line: its severity and its one-line message (docs/EVENTS.md). */
final class EventText {
    static final String LOW = "low";
    static final String MEDIUM = "medium";
    static final String HIGH = "high";
    static final String CRITICAL = "critical";

    /** Characters of the resource quoted in a message; the full resource is in its own field. */
    private static final int MESSAGE_RESOURCE = 200;

    private EventText() {}

    /**
     * {@code kill} is critical. Otherwise the category sets the level: code execution and its vectors (process,
     * native, jndi, deserialization, classdef, drift) are high, reaching out (file, network, dns, anything newer)
     * medium; a rule that only alerts is one step lower.
     */
    static String severity(String category, Action action) {
        if (action == Action.KILL) return CRITICAL;
        boolean execution = switch (category) {
            case "process", "native", "jndi", "deserialization", "classdef", "drift" -> true;
            default -> false;
        };
        if (action == Action.ALERT) return execution ? MEDIUM : LOW;
        return execution ? HIGH : MEDIUM;
    }

    /**
     * {@code file read /etc/shadow denied by rule default/files}: what happened and who decided, the resource cut to
     * 200 characters and without line breaks, so that the message is one line.
     */
    static String message(
            String category, String operation, String resource, Action action, boolean blocked, String rule) {
        return message(category, operation, resource, null, action, blocked, rule);
    }

    /**
     * As above, with the component that asked after the resource: {@code jndi lookup ldap://x/a by log4j-core 2.14.1
     * denied by rule default/jndi} (docs/EVENTS.md).
     *
     * @param component how {@link dev.inlay.model.Component#toString()} names it, or null for the JVM itself
     */
    static String message(
            String category,
            String operation,
            String resource,
            String component,
            Action action,
            boolean blocked,
            String rule) {
        StringBuilder m = new StringBuilder(96)
                .append(category)
                .append(' ')
                .append(operation)
                .append(' ');
        int end = Math.min(resource.length(), MESSAGE_RESOURCE);
        for (int i = 0; i < end; i++) {
            char c = resource.charAt(i);
            m.append(c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029 ? '?' : c);
        }
        if (end < resource.length()) m.append("...");
        if (component != null) m.append(" by ").append(oneLine(component));
        if (action == Action.ALERT) m.append(" alerted by rule ");
        else if (action == Action.KILL) m.append(blocked ? " halted the JVM by rule " : " would halt the JVM by rule ");
        else m.append(blocked ? " denied by rule " : " would be denied by rule ");
        m.append(rule);
        if (!blocked && action != Action.ALERT) m.append(" (monitor mode)");
        return m.toString();
    }

    private static String oneLine(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length() && i < MESSAGE_RESOURCE; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029 ? '?' : c);
        }
        return out.toString();
    }
}
