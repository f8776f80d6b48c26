package dev.inlay.policy;

import java.util.Locale;

/**
 * The syntax of selector values. Checking happens once, at parse time, so that the engine can compile patterns
 * without failing and a person sees every mistake with its position.
 *
 * <p>The character classes are loops, not regular expressions: the agent checks a baked policy again before the
 * application's main(), where compiling a {@code java.util.regex.Pattern} costs milliseconds.
 */
public final class Patterns {

    private Patterns() {
    }

    /** A problem with the value, or null when it is well formed. */
    public static String check(Selector selector, String value) {
        switch (selector) {
            case PATHS:
            case EXECUTABLES:
            case CALLERS:
                return checkPath(value);
            case HOSTS:
                return Cidr.parse(value) != null && value.indexOf('/') < 0 ? null : checkHost(value);
            case NAMES:
                return checkHost(value);
            case CIDRS:
                return Cidr.parse(value) == null ? "not an IPv4 or IPv6 address or CIDR block" : null;
            case PORTS:
                return PortRange.parse(value) == null ? "not a port (0-65535) or range (low-high)" : null;
            case PROTOCOLS:
                return value.equals("tcp") || value.equals("udp") ? null : "not tcp or udp";
            case ARGS:
                return null;
            case SCHEMES:
                return isScheme(value) ? null : "not a URL scheme";
            case CLASSES:
            case LOADERS:
                return checkClassPattern(value);
            default:
                throw new AssertionError(selector);
        }
    }

    public static String hint(Selector selector) {
        switch (selector) {
            case PATHS:
            case EXECUTABLES:
            case CALLERS:
                return "absolute paths; '*' matches within one segment, a final '/**' matches a whole subtree";
            case HOSTS:
            case NAMES:
                return "a host name (db.internal) or '*.example.com' for any subdomain; addresses go in 'cidrs'";
            case CIDRS:
                return "10.0.0.5, 10.0.0.0/8, ::1, fd00::/8";
            case PORTS:
                return "443 or 8000-8100";
            case PROTOCOLS:
                return "tcp or udp";
            case SCHEMES:
                return "ldap, rmi, dns, java...";
            case CLASSES:
            case LOADERS:
                return "com.example.Type, com.example.* (one package), com.example.** (with subpackages)";
            default:
                return null;
        }
    }

    /** The value as the engine and writer use it: host names lower case without a trailing dot. */
    public static String canonical(Selector selector, String value) {
        if (selector == Selector.HOSTS || selector == Selector.NAMES) {
            String v = value.toLowerCase(Locale.ROOT);
            return v.endsWith(".") ? v.substring(0, v.length() - 1) : v;
        }
        return value;
    }

    private static String checkPath(String value) {
        if (!value.startsWith("/")) return "not absolute";
        if (value.indexOf('\0') >= 0) return "contains a NUL character";
        if (value.equals("/")) return null;
        if (value.endsWith("/")) return "ends with '/'; write '/dir' for the directory itself or '/dir/**' for its subtree";
        String[] segments = value.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.isEmpty()) return "has an empty segment ('//')";
            if (s.equals(".") || s.equals("..")) return "has a '" + s + "' segment; write the normalized path";
            if (s.contains("**") && !(s.equals("**") && i == segments.length - 1)) {
                return "'**' is allowed only as the whole last segment ('/dir/**')";
            }
        }
        return null;
    }

    private static String checkHost(String value) {
        String v = canonical(Selector.HOSTS, value);
        if (v.isEmpty()) return "empty";
        if (Cidr.parse(v) != null) return "an address, not a name";
        String[] labels = v.split("\\.", -1);
        for (int i = 0; i < labels.length; i++) {
            String l = labels[i];
            if (l.equals("*")) {
                if (i != 0 || labels.length < 2) return "'*' is allowed only as the first label of '*.domain'";
                continue;
            }
            if (!isHostLabel(l)) return "label '" + l + "' is not a valid DNS label";
        }
        return null;
    }

    private static String checkClassPattern(String value) {
        String[] segments = value.split("\\.", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.isEmpty()) return "has an empty segment";
            if (s.contains("**") && !(s.equals("**") && i == segments.length - 1)) {
                return "'**' is allowed only as the whole last segment ('com.example.**')";
            }
            if (!isJavaSegment(s)) return "'" + s + "' is not part of a Java class name";
        }
        return null;
    }

    /** {@code [a-z][a-z0-9+.-]*} */
    static boolean isScheme(String s) {
        if (s.isEmpty() || !isLowerOrDigit(s.charAt(0)) || isDigit(s.charAt(0))) return false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isLowerOrDigit(c) && c != '+' && c != '.' && c != '-') return false;
        }
        return true;
    }

    /** {@code [a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?}: 1 to 63 characters, no '-' at either end. */
    static boolean isHostLabel(String s) {
        int n = s.length();
        if (n == 0 || n > 63 || s.charAt(0) == '-' || s.charAt(n - 1) == '-') return false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!isLowerOrDigit(c) && c != '_' && c != '-') return false;
        }
        return true;
    }

    /** {@code [\p{L}\p{N}_$*]+}: letters and numbers of any script, by code point. */
    static boolean isJavaSegment(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '_' || cp == '$' || cp == '*' || Character.isLetter(cp)) continue;
            int type = Character.getType(cp);
            if (type != Character.DECIMAL_DIGIT_NUMBER && type != Character.LETTER_NUMBER
                    && type != Character.OTHER_NUMBER) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLowerOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || isDigit(c);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
