package dev.inlay.scanner.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a component's licence (an SPDX id, a name, or an SPDX expression) is denied. An expression with
 * {@code OR} offers a choice: it is denied only when every alternative is; with {@code AND} (or {@code WITH}) one
 * denied id is enough. Parentheses are honoured one level at a time.
 */
final class Licences {
    private Licences() {}

    /** The denied id the licence carries, or null; {@code denied} is lower case. */
    static String denied(String licence, Set<String> denied) {
        String e = strip(licence.strip());
        List<String> alternatives = split(e, " OR ");
        if (alternatives.size() > 1) {
            String first = null;
            for (String a : alternatives) {
                String d = denied(a, denied);
                if (d == null) return null;
                if (first == null) first = d;
            }
            return first;
        }
        for (String part : split(e, " AND ")) {
            String p = strip(part.strip());
            if (p.contains(" OR ") || p.contains(" AND ")) {
                String d = denied(p, denied);
                if (d != null) return d;
                continue;
            }
            for (String token : p.split("\\s+WITH\\s+|\\s+")) {
                String t = token.endsWith("+") ? token.substring(0, token.length() - 1) : token;
                if (denied.contains(t.toLowerCase(Locale.ROOT)) || denied.contains(token.toLowerCase(Locale.ROOT)))
                    return token;
            }
        }
        return null;
    }

    private static String strip(String e) {
        String s = e;
        while (s.startsWith("(") && s.endsWith(")") && balanced(s.substring(1, s.length() - 1)))
            s = s.substring(1, s.length() - 1).strip();
        return s;
    }

    private static boolean balanced(String s) {
        int depth = 0;
        for (char c : s.toCharArray()) {
            if (c == '(') depth++;
            if (c == ')' && --depth < 0) return false;
        }
        return depth == 0;
    }

    /** Splits at the operator where it stands outside parentheses (case-insensitive, as SPDX allows). */
    private static List<String> split(String e, String op) {
        List<String> out = new ArrayList<>();
        String upper = e.toUpperCase(Locale.ROOT);
        int depth = 0;
        int start = 0;
        for (int i = 0; i < e.length(); i++) {
            char c = e.charAt(i);
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (depth == 0 && upper.startsWith(op, i)) {
                out.add(e.substring(start, i));
                start = i + op.length();
                i = start - 1;
            }
        }
        out.add(e.substring(start));
        return out;
    }
}
