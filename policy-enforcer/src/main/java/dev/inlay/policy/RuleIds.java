package dev.inlay.policy;

import java.util.regex.Pattern;

/** Rule ids name rules in events, diffs and hit counts, so they are short, stable and safe in any log pipeline. */
public final class RuleIds {
    static final String HINT = "ids use letters, digits, '.', '_' and '-', start with a letter or digit, at most 100 characters";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private RuleIds() {
    }

    public static boolean isValid(String id) {
        return VALID.matcher(id).matches();
    }
}
