package dev.inlay.policy;

/**
 * The escaping of pattern metacharacters ({@code *}, {@code \}), for {@link Patterns} and for what resolves roots
 * before main() ({@link Roots}, {@link JvmBaseline.Paths}): a class of its own so that learn mode, which expands the
 * JVM baseline's roots at its first file operation but compiles no policy, does not load and verify all of
 * {@link Patterns} for these two methods.
 */
final class Escapes {
    private Escapes() {}

    /** {@link Patterns#literal}. */
    static String literal(String raw) {
        if (raw.indexOf('*') < 0 && raw.indexOf('\\') < 0) return raw;
        StringBuilder sb = new StringBuilder(raw.length() + 4);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '*' || c == '\\') sb.append('\\');
            sb.append(c);
        }
        return sb.toString();
    }

    /** {@link Patterns#unescape}. */
    static String unescape(String pattern) {
        if (pattern.indexOf('\\') < 0) return pattern;
        StringBuilder sb = new StringBuilder(pattern.length());
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) c = pattern.charAt(++i);
            sb.append(c);
        }
        return sb.toString();
    }
}
