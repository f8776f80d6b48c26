package dev.inlay.policy;

import dev.inlay.model.Component;

import java.util.Locale;

/**
 * The syntax of selector values. Checking happens once, at parse time, so that the engine can compile patterns
 * without failing and a person sees every mistake with its position.
 *
 * <p>The character classes are loops, not regular expressions: the agent checks a baked policy again before the
 * application's main(), where compiling a {@code java.util.regex.Pattern} costs milliseconds.
 */
public final class Patterns {

    private Patterns() {}

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
                return checkEscapes(value);
            case SCHEMES:
                return isScheme(value) ? null : "not a URL scheme";
            case CLASSES:
            case LOADERS:
                return checkClassPattern(value);
            case COMPONENTS:
                return checkComponent(value);
            default:
                throw new AssertionError(selector);
        }
    }

    public static String hint(Selector selector) {
        switch (selector) {
            case PATHS:
            case EXECUTABLES:
            case CALLERS:
                return "absolute paths or a root (" + Roots.rootList()
                        + ") then '/...'; '*' matches within one segment, "
                        + "a final '/**' matches a whole subtree; '\\*' is a literal '*', '\\\\' a literal '\\'";
            case HOSTS:
            case NAMES:
                return "a host name (db.internal) or '*.example.com' for any subdomain ('\\*' is a literal '*'); addresses go in 'cidrs'";
            case CIDRS:
                return "10.0.0.5, 10.0.0.0/8, ::1, fd00::/8";
            case PORTS:
                return "443 or 8000-8100";
            case PROTOCOLS:
                return "tcp or udp";
            case SCHEMES:
                return "ldap, rmi, dns, java...";
            case ARGS:
                return "one pattern per argument; '*' matches any characters, a final '**' any remaining arguments; "
                        + "'\\*' is a literal '*', '\\\\' a literal '\\'";
            case CLASSES:
            case LOADERS:
                return "com.example.Type, com.example.* (one package), com.example.** (with subpackages); '\\*' is a literal '*'";
            case COMPONENTS:
                return "a package URL without version for every version (pkg:maven/org.example/lib), with one for some "
                        + "(pkg:maven/org.example/lib@2.*), an absolute jar path pattern (/app/lib/*.jar) or one "
                        + "under a root (${user.dir}/app.jar), or 'app' "
                        + "for the application's own classes; '*' matches any characters";
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
        if (value.startsWith("${")) { // a symbolic root (docs/POLICY.md, "Roots"), then a path under it
            String root = Roots.checkRoot(value);
            if (root != null) return root;
            String rest = Roots.rest(value);
            if (rest.equals("/"))
                return "ends with '/'; write '${root}' for the directory itself or '${root}/**' for its subtree";
            return rest.isEmpty() ? null : checkPath(rest);
        }
        if (!value.startsWith("/")) return "not absolute";
        if (value.indexOf('\0') >= 0) return "contains a NUL character";
        String escapes = checkEscapes(value);
        if (escapes != null) return escapes;
        if (value.equals("/")) return null;
        if (value.endsWith("/"))
            return "ends with '/'; write '/dir' for the directory itself or '/dir/**' for its subtree";
        String[] segments = value.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.isEmpty()) return "has an empty segment ('//')";
            if (s.equals(".") || s.equals("..")) return "has a '" + s + "' segment; write the normalized path";
            if (hasDoubleStar(s) && !(s.equals("**") && i == segments.length - 1)) {
                return "'**' is allowed only as the whole last segment ('/dir/**'); write '\\*' for a literal '*'";
            }
        }
        return null;
    }

    /**
     * A component pattern: {@code app}, an absolute path pattern, or a package URL {@code pkg:type/namespace/name} with
     * an optional {@code @version}; no qualifiers or subpath, since the engine matches without them. Plain string code:
     * the agent checks a baked policy before main().
     */
    private static String checkComponent(String value) {
        if (value.isEmpty()) return "empty";
        if (value.equals(Component.APPLICATION)) return null;
        if (value.startsWith("/") || value.startsWith("${")) {
            String path = checkPath(value);
            return path == null ? null : "a jar path that is " + path;
        }
        if (!value.startsWith("pkg:")) {
            return "not a package URL (pkg:...), an absolute path, or '" + Component.APPLICATION + "'";
        }
        String escapes = checkEscapes(value);
        if (escapes != null) return escapes;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == 0x7F) return "contains a space or control character";
            if (c == '?' || c == '#') {
                return "has qualifiers or a subpath ('" + c + "...'); components match without them, leave them out";
            }
        }
        String[] parts = value.substring(4).split("/", -1);
        if (parts.length < 2) return "has no name: write pkg:type/namespace/name, e.g. pkg:maven/org.example/lib";
        String type = parts[0];
        if (type.isEmpty()) return "has an empty type (pkg:maven/...)";
        if (!isPurlType(type))
            return "type '" + type + "' is not a package URL type (lower case letters, digits, '.+-')";
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            int at = part.indexOf('@');
            if (at >= 0 && i < parts.length - 1)
                return "has '@' before the name; a version follows the name ('name@1.0')";
            if (at >= 0 && part.indexOf('@', at + 1) >= 0) return "has more than one '@'";
            String name = at < 0 ? part : part.substring(0, at);
            if (name.isEmpty()) return i == parts.length - 1 ? "has an empty name" : "has an empty segment ('//')";
            if (at >= 0 && at == part.length() - 1)
                return "has an empty version after '@'; leave '@' out for every version";
        }
        return null;
    }

    /** {@code [a-z][a-z0-9.+-]*}, or a glob of it. */
    private static boolean isPurlType(String s) {
        if (s.equals("*")) return true;
        char first = s.charAt(0);
        if (!(first >= 'a' && first <= 'z') && first != '*') return false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isLowerOrDigit(c) && c != '.' && c != '+' && c != '-' && c != '*') return false;
        }
        return true;
    }

    private static String checkHost(String value) {
        String v = canonical(Selector.HOSTS, value);
        if (v.isEmpty()) return "empty";
        String escapes = checkEscapes(v);
        if (escapes != null) return escapes;
        if (Cidr.parse(v) != null) return "an address, not a name";
        String[] labels = v.split("\\.", -1);
        for (int i = 0; i < labels.length; i++) {
            String l = labels[i];
            if (l.equals("*")) {
                if (i != 0 || labels.length < 2) return "'*' is allowed only as the first label of '*.domain'";
                continue;
            }
            // A literal '*' ('\\*') is not a DNS label character, but names with it can be looked up and learned.
            if (!isHostLabel(l.replace("\\*", "x"))) return "label '" + l + "' is not a valid DNS label";
        }
        return null;
    }

    private static String checkClassPattern(String value) {
        String escapes = checkEscapes(value);
        if (escapes != null) return escapes;
        String[] segments = value.split("\\.", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.isEmpty()) return "has an empty segment";
            if (hasDoubleStar(s) && !(s.equals("**") && i == segments.length - 1)) {
                return "'**' is allowed only as the whole last segment ('com.example.**'); write '\\*' for a literal '*'";
            }
            // escaped characters are literal parts of the name ('\\\\' is legal in a JVM class name)
            if (!isJavaSegment(s.replace("\\\\", "_").replace("\\*", "_")))
                return "'" + s + "' is not part of a Java class name";
        }
        return null;
    }

    /**
     * The escape of every pattern selector: {@code \*} is a literal {@code *}, {@code \\} a literal backslash, and a
     * backslash before anything else is refused (so that no value means something else than it seems).
     */
    static String checkEscapes(String value) {
        for (int i = value.indexOf('\\'); i >= 0; i = value.indexOf('\\', i + 2)) {
            char next = i + 1 < value.length() ? value.charAt(i + 1) : 0;
            if (next != '*' && next != '\\') {
                return "'\\' must be followed by '*' or '\\' ('\\*' is a literal '*', '\\\\' a literal '\\')";
            }
        }
        return null;
    }

    /** Two unescaped {@code *} in a row. */
    private static boolean hasDoubleStar(String segment) {
        boolean star = false;
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '\\') {
                i++;
                star = false;
            } else if (c == '*') {
                if (star) return true;
                star = true;
            } else {
                star = false;
            }
        }
        return false;
    }

    /**
     * A value that matches exactly {@code raw} and nothing else: {@code *} and {@code \} escaped. What the generator
     * writes for every learned name, so that a name an attacker chose (a failed open of {@code /etc/*}) never becomes a
     * wildcard.
     */
    public static String literal(String raw) {
        return Escapes.literal(raw);
    }

    /** Whether a learned name holds a character that is special in patterns ({@code *} or {@code \}). */
    public static boolean hasMetacharacters(String raw) {
        return raw.indexOf('*') >= 0 || raw.indexOf('\\') >= 0;
    }

    /** Whether a (well-formed) pattern has a wildcard: a {@code *} that is not escaped. */
    public static boolean hasWildcard(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') i++;
            else if (c == '*') return true;
        }
        return false;
    }

    /** The text a pattern without wildcards matches: escapes removed. The same instance when there are none. */
    public static String unescape(String pattern) {
        return Escapes.unescape(pattern);
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
            if (type != Character.DECIMAL_DIGIT_NUMBER
                    && type != Character.LETTER_NUMBER
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
