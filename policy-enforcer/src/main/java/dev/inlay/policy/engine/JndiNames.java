package dev.inlay.policy.engine;

import java.util.Locale;

/** The scheme and host of a JNDI name: {@code ldap://host:389/dc=x} has both, {@code java:comp/env} only a scheme. */
final class JndiNames {
    private JndiNames() {}

    static String scheme(String name) {
        if (name == null) return null;
        int colon = name.indexOf(':');
        if (colon <= 0) return null;
        for (int i = 0; i < colon; i++) {
            char c = name.charAt(i);
            boolean ok = Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.';
            if (!ok || (i == 0 && !Character.isLetter(c))) return null;
        }
        return name.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    static String host(String name) {
        String scheme = scheme(name);
        if (scheme == null) return null;
        int start = scheme.length() + 1;
        if (!name.startsWith("//", start)) return null;
        start += 2;
        int end = start;
        if (end < name.length() && name.charAt(end) == '[') {
            int close = name.indexOf(']', end);
            return close < 0 ? null : name.substring(end + 1, close).toLowerCase(Locale.ROOT);
        }
        while (end < name.length() && "/:?#".indexOf(name.charAt(end)) < 0) end++;
        int at = name.lastIndexOf('@', end);
        if (at >= start) start = at + 1;
        return end > start ? name.substring(start, end).toLowerCase(Locale.ROOT) : null;
    }
}
