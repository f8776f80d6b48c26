package dev.inlay.policy.engine;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Lexical path normalization: {@code .}, {@code ..}, repeated and trailing slashes. Lexical on purpose: the engine must
 * not touch the file system on the decision path, and {@code /app/../etc/passwd} must not pass a rule for
 * {@code /app/**}. A path that is already normal comes back as the same instance, so the common case allocates nothing.
 */
public final class Paths {
    private Paths() {}

    public static String normalize(String path) {
        return isNormal(path) ? path : rebuild(path);
    }

    static boolean isNormal(String p) {
        int n = p.length();
        if (n == 0 || p.charAt(0) != '/') return n > 0 && isNormalRelative(p);
        if (n == 1) return true;
        if (p.charAt(n - 1) == '/') return false;
        // String.indexOf(String) is a vectorized intrinsic: most paths are cleared without a loop over their chars.
        if (p.indexOf("//") >= 0) return false;
        if (p.indexOf("/.") < 0) return true;
        int segStart = 1;
        for (int i = 1; i <= n; i++) {
            if (i == n || p.charAt(i) == '/') {
                int len = i - segStart;
                if (len == 0) return false;
                if (p.charAt(segStart) == '.' && (len == 1 || (len == 2 && p.charAt(segStart + 1) == '.')))
                    return false;
                segStart = i + 1;
            }
        }
        return true;
    }

    private static boolean isNormalRelative(String p) {
        return false;
    }

    private static String rebuild(String p) {
        boolean absolute = p.startsWith("/");
        Deque<String> stack = new ArrayDeque<>();
        for (String seg : p.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) continue;
            if (seg.equals("..")) {
                if (!stack.isEmpty() && !stack.peekLast().equals("..")) stack.removeLast();
                else if (!absolute) stack.addLast(seg);
                continue;
            }
            stack.addLast(seg);
        }
        StringBuilder sb = new StringBuilder(p.length());
        for (String s : stack) {
            if (absolute || sb.length() > 0) sb.append('/');
            sb.append(s);
        }
        if (sb.length() == 0) return absolute ? "/" : ".";
        if (!absolute && sb.charAt(0) == '/') sb.deleteCharAt(0);
        return sb.toString();
    }
}
