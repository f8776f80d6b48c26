package dev.inlay.policy;

/** Rule ids name rules in events, diffs and hit counts, so they are short, stable and safe in any log pipeline. */
public final class RuleIds {
    static final String HINT =
            "ids use letters, digits, '.', '_' and '-', start with a letter or digit, at most 100 characters";

    private RuleIds() {}

    /** {@code [A-Za-z0-9][A-Za-z0-9._-]{0,99}}, as a loop: the agent checks ids before main(), no regex there. */
    public static boolean isValid(String id) {
        int n = id.length();
        if (n == 0 || n > 100 || !isAlphanumeric(id.charAt(0))) return false;
        for (int i = 1; i < n; i++) {
            char c = id.charAt(i);
            if (!isAlphanumeric(c) && c != '.' && c != '_' && c != '-') return false;
        }
        return true;
    }

    private static boolean isAlphanumeric(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
