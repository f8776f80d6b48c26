package dev.inlay.policy;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The syntax of selector values. Checking happens once, at parse time, so that the engine can compile patterns
 * without failing and a person sees every mistake with its position.
 */
public final class Patterns {
    private static final Pattern HOST_LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
    private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]*");
    private static final Pattern JAVA_SEGMENT = Pattern.compile("[\\p{L}\\p{N}_$*]+");

    private Patterns() {
    }

    /** A problem with the value, or null when it is well formed. */
    public static String check(Selector selector, String value) {
        switch (selector) {
            case PATHS:
            case EXECUTABLES:
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
                return SCHEME.matcher(value).matches() ? null : "not a URL scheme";
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
            if (!HOST_LABEL.matcher(l).matches()) return "label '" + l + "' is not a valid DNS label";
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
            if (!JAVA_SEGMENT.matcher(s).matches()) return "'" + s + "' is not part of a Java class name";
        }
        return null;
    }
}
