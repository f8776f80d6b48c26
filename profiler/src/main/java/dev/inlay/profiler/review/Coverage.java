package dev.inlay.profiler.review;

import dev.inlay.policy.Action;
import dev.inlay.policy.Cidr;
import dev.inlay.policy.Operation;
import dev.inlay.policy.PortRange;
import dev.inlay.policy.Rule;
import dev.inlay.policy.Selector;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * Whether one pattern covers everything another covers, per selector syntax (docs/POLICY selectors). Conservative:
 * when in doubt it answers "not covered", so a diff may call a change a widening that is not, never the reverse.
 */
public final class Coverage {
    private Coverage() {}

    /** True when every operation on every resource {@code inner} matches is also matched by {@code outer}. */
    public static boolean covers(Rule outer, Rule inner) {
        return covers(outer, inner, inner.operations());
    }

    /** As {@link #covers(Rule, Rule)}, for only some of {@code inner}'s operations. */
    public static boolean covers(Rule outer, Rule inner, java.util.Set<Operation> operations) {
        if (outer.category() != inner.category() || !outer.operations().containsAll(operations)) return false;
        for (Map.Entry<Selector, List<String>> e : outer.selectors().entrySet()) {
            Selector s = e.getKey();
            List<String> outerValues = e.getValue();
            List<String> innerValues = inner.values(s);
            if (s == Selector.ARGS) {
                if (!argsCover(outerValues, inner.selectors().containsKey(Selector.ARGS) ? innerValues : null))
                    return false;
                continue;
            }
            if (innerValues.isEmpty()) return false; // inner does not constrain what outer does
            for (String v : innerValues) {
                if (outerValues.stream().noneMatch(o -> valueCovers(s, o, v))) return false;
            }
        }
        return true;
    }

    public static boolean valueCovers(Selector selector, String outer, String inner) {
        if (outer.equals(inner)) return true;
        return switch (selector) {
            case PATHS, EXECUTABLES -> pathCovers(outer, inner);
            case HOSTS, NAMES -> outer.startsWith("*.") && inner.endsWith(outer.substring(1));
            case CIDRS -> cidrCovers(outer, inner);
            case PORTS -> portsCover(outer, inner);
            case CLASSES, LOADERS -> classCovers(outer, inner);
            case ARGS -> globSegment(outer, inner);
            case COMPONENTS -> componentCovers(outer, inner);
            default -> false;
        };
    }

    /**
     * A {@code components} pattern covers another when every component the inner one names is named by the outer one:
     * a package URL without version covers its versions, globs cover by {@link #globSegment}, a path pattern covers
     * path patterns. A path and a package URL never cover each other: which jar a package was loaded from is not
     * known here.
     */
    static boolean componentCovers(String outer, String inner) {
        if (outer.startsWith("/") && inner.startsWith("/")) return pathCovers(outer, inner);
        if (!outer.startsWith("pkg:") || !inner.startsWith("pkg:")) return false;
        int outerAt = versionAt(outer);
        int innerAt = versionAt(inner);
        String outerName = outerAt < 0 ? outer : outer.substring(0, outerAt);
        String innerName = innerAt < 0 ? inner : inner.substring(0, innerAt);
        if (!globSegment(outerName, innerName)) return false;
        if (outerAt < 0) return true; // every version
        return innerAt >= 0 && globSegment(outer.substring(outerAt + 1), inner.substring(innerAt + 1));
    }

    /** Where a package URL pattern's {@code @version} starts, or -1. */
    private static int versionAt(String purl) {
        return purl.indexOf('@', purl.lastIndexOf('/') + 1);
    }

    static boolean pathCovers(String outer, String inner) {
        if (outer.equals("/**")) return true;
        // Roots compare symbolically: ${java.home}/** covers ${java.home}/lib/x, but a root stands for paths that
        // differ from one JVM to the next, so it neither covers nor lies inside a literal path.
        if (outer.startsWith("${") != inner.startsWith("${")) return false;
        if (outer.endsWith("/**")) {
            String prefix = outer.substring(0, outer.length() - 3);
            String[] ps = prefix.substring(1).split("/", -1);
            String[] is = inner.substring(1).split("/", -1);
            if (is.length < ps.length) return false;
            for (int i = 0; i < ps.length; i++) if (!globSegment(ps[i], is[i])) return false;
            return true;
        }
        if (inner.endsWith("/**")) return false;
        String[] os = outer.substring(1).split("/", -1);
        String[] is = inner.substring(1).split("/", -1);
        if (os.length != is.length) return false;
        for (int i = 0; i < os.length; i++) if (!globSegment(os[i], is[i])) return false;
        return true;
    }

    static boolean classCovers(String outer, String inner) {
        String[] os = outer.split("\\.", -1);
        String[] is = inner.split("\\.", -1);
        if (os[os.length - 1].equals("**")) {
            if (is.length < os.length) return false;
            for (int i = 0; i < os.length - 1; i++) if (!globSegment(os[i], is[i])) return false;
            return true;
        }
        if (is[is.length - 1].equals("**") || os.length != is.length) return false;
        for (int i = 0; i < os.length; i++) if (!globSegment(os[i], is[i])) return false;
        return true;
    }

    /**
     * A glob segment covers another: the inner one is read as its sequence of literal characters and wildcards, and
     * only a '*' of the outer one can cover a wildcard ({@code \*} and {@code \\} are single literal characters).
     */
    static boolean globSegment(String pattern, String s) {
        int[] outer = tokens(pattern);
        int[] inner = tokens(s);
        int o = 0, i = 0, afterStar = -1, starI = -1;
        while (i < inner.length) {
            if (o < outer.length && outer[o] == WILDCARD) {
                afterStar = ++o;
                starI = i;
            } else if (o < outer.length && outer[o] == inner[i]) {
                o++;
                i++;
            } else if (afterStar >= 0) {
                o = afterStar;
                i = ++starI;
            } else {
                return false;
            }
        }
        while (o < outer.length && outer[o] == WILDCARD) o++;
        return o == outer.length;
    }

    private static final int WILDCARD = -1;

    /** A pattern as characters (escapes resolved) and {@link #WILDCARD}s. */
    private static int[] tokens(String pattern) {
        int[] out = new int[pattern.length()];
        int n = 0;
        for (int k = 0; k < pattern.length(); k++) {
            char c = pattern.charAt(k);
            if (c == '\\' && k + 1 < pattern.length()) out[n++] = pattern.charAt(++k);
            else out[n++] = c == '*' ? WILDCARD : c;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Whether argument patterns {@code outer} allow every command line {@code inner} allows (null: any arguments). */
    static boolean argsCover(List<String> outer, List<String> inner) {
        if (inner == null) return outer.size() == 1 && outer.get(0).equals("**");
        if (outer.isEmpty()) return inner.isEmpty(); // "args: []" allows exactly no arguments
        for (int i = 0; i < outer.size(); i++) {
            String o = outer.get(i);
            if (o.equals("**") && i == outer.size() - 1) return true;
            if (i >= inner.size()) return false;
            String v = inner.get(i);
            if (v.equals("**") && i == inner.size() - 1) return false;
            if (!globSegment(o, v)) return false;
        }
        return outer.size() == inner.size();
    }

    static boolean cidrCovers(String outer, String inner) {
        Cidr o = Cidr.parse(outer);
        Cidr i = Cidr.parse(inner);
        if (o == null || i == null || o.isV4() != i.isV4()) return false;
        if (o.prefix() == 0) return true;
        if (o.isV4()) return o.prefix() <= i.prefix() && o.containsV4(i.v4Network());
        return false;
    }

    static boolean portsCover(String outer, String inner) {
        PortRange o = PortRange.parse(outer);
        PortRange i = PortRange.parse(inner);
        return o != null && i != null && o.low() <= i.low() && i.high() <= o.high();
    }

    /**
     * True only when the two rules can be shown to match nothing in common: some selector both constrain has values
     * that are pairwise unrelated literals (no wildcard, ranges or blocks on either side).
     */
    public static boolean disjoint(Rule a, Rule b) {
        for (Map.Entry<Selector, List<String>> e : a.selectors().entrySet()) {
            List<String> other = b.values(e.getKey());
            if (other.isEmpty() || e.getKey() == Selector.ARGS) continue;
            Selector s = e.getKey();
            boolean allLiteral = e.getValue().stream().allMatch(v -> literal(s, v))
                    && other.stream().allMatch(v -> literal(s, v));
            if (allLiteral && e.getValue().stream().noneMatch(other::contains)) return true;
        }
        return false;
    }

    static boolean literal(Selector s, String v) {
        return switch (s) {
            case CIDRS -> v.indexOf('/') < 0;
            case PORTS -> v.indexOf('-') < 0;
            // a package URL with and without its version, or a jar path and the package in that jar, name one
            // component with different values: never "literal" for disjointness
            case COMPONENTS -> false;
            // a root resolves to one or more paths that are not known here: never "literal" for disjointness
            default -> !dev.inlay.policy.Patterns.hasWildcard(v) && !v.startsWith("${");
        };
    }

    /** Rules whose action lets the operation happen (alert reports, but does not block). */
    public static boolean permits(Action action) {
        return !action.blocks();
    }

    static EnumSet<Operation> single(Operation op) {
        return EnumSet.of(op);
    }
}
