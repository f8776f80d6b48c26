package dev.inlay.profiler.review;

import dev.inlay.policy.Category;
import dev.inlay.policy.Cidr;
import dev.inlay.policy.Operation;
import dev.inlay.policy.Policy;
import dev.inlay.policy.PortRange;
import dev.inlay.policy.Rule;
import dev.inlay.policy.Selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds rules a reviewer should look at twice: too broad, allowing secrets, shadowed by other rules, or unable to
 * match anything. Syntax and unknown fields are the parser's job ({@code PolicyException}).
 */
public final class PolicyLinter {
    public enum Kind { BROAD, SECRET, SHADOWED, NEVER_MATCHES }

    public record Finding(Kind kind, Category category, String ruleId, String message) {
        public String describe() {
            return kind.name().toLowerCase().replace('_', '-') + ": " + category.yamlName() + "/" + ruleId + ": " + message;
        }
    }

    /** Files that hold credentials: a rule that permits reading them is almost always a mistake. */
    static final List<String> SECRETS = List.of("/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/etc/ssh/ssh_host_rsa_key",
            "/root/.ssh/id_rsa", "/home/user/.ssh/id_rsa", "/root/.aws/credentials", "/home/user/.aws/credentials",
            "/root/.kube/config", "/proc/self/environ", "/proc/1/environ",
            "/var/run/secrets/kubernetes.io/serviceaccount/token", "/run/secrets/kubernetes.io/serviceaccount/token",
            "/etc/ssl/private/server.key");
    /** Trees whose whole content a rule should never allow at once. */
    private static final Set<String> BROAD_TREES = Set.of("/", "/etc", "/usr", "/var", "/proc", "/sys", "/dev", "/root",
            "/home", "/tmp", "/opt", "/bin", "/sbin", "/lib", "/lib64", "/run", "/app", "/srv");

    private PolicyLinter() {
    }

    /**
     * Checks of one rule on its own (never-matches, broad, secrets) go in the loop; checks of a rule against the
     * others ask {@link RuleIndex} for candidates rather than scanning every rule, which was quadratic.
     */
    public static List<Finding> lint(Policy policy) {
        List<Finding> out = new ArrayList<>();
        List<Rule> rules = policy.rules();
        RuleIndex index = new RuleIndex(rules);
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            neverMatches(r, out);
            if (Coverage.permits(r.action())) {
                broad(r, out);
                secrets(r, out);
            }
            shadowed(i, r, index, out);
        }
        return out;
    }

    /** The first rule in document order that decides everything {@code r} matches before it can. */
    private static void shadowed(int i, Rule r, RuleIndex index, List<Finding> out) {
        for (int j : index.coverCandidates(r)) {
            Rule s = index.rule(j);
            if (i == j || s.category() != r.category()) continue;
            int severity = s.action().compareTo(r.action());
            if ((severity > 0 || (severity == 0 && j < i)) && Coverage.covers(s, r)) {
                out.add(new Finding(Kind.SHADOWED, r.category(), r.id(), severity > 0
                        ? "never decides: " + s.id() + " (" + s.action().wireName() + ") covers all it matches"
                        : "redundant: " + s.id() + " already covers all it matches"));
                return;
            }
        }
    }

    private static void neverMatches(Rule r, List<Finding> out) {
        for (Operation op : r.operations()) {
            if (!r.category().operations().contains(op)) {
                out.add(new Finding(Kind.NEVER_MATCHES, r.category(), r.id(),
                        "operation " + op.wireName() + " does not exist in " + r.category().yamlName()));
            }
        }
        for (Selector s : r.selectors().keySet()) {
            if (!r.category().selectors().contains(s)) {
                out.add(new Finding(Kind.NEVER_MATCHES, r.category(), r.id(),
                        "selector " + s.yamlName() + " does not exist in " + r.category().yamlName()));
            } else if (r.values(s).isEmpty() && r.selectors().get(s).isEmpty() && s != Selector.ARGS) {
                out.add(new Finding(Kind.NEVER_MATCHES, r.category(), r.id(), s.yamlName() + " is empty"));
            }
        }
        for (String p : r.values(Selector.PORTS)) {
            if (PortRange.parse(p) == null) {
                out.add(new Finding(Kind.NEVER_MATCHES, r.category(), r.id(), "port range '" + p + "' is empty or invalid"));
            }
        }
        if (r.category() == Category.NETWORK && !r.values(Selector.HOSTS).isEmpty()
                && !r.operations().contains(Operation.CONNECT)) {
            out.add(new Finding(Kind.NEVER_MATCHES, r.category(), r.id(),
                    "hosts name the remote side of a connect; listen and accept have no host name"));
        }
        if (r.category() == Category.JNDI && !r.values(Selector.HOSTS).isEmpty()
                && !r.values(Selector.SCHEMES).isEmpty() && r.values(Selector.SCHEMES).stream().allMatch("java"::equals)) {
            out.add(new Finding(Kind.NEVER_MATCHES, r.category(), r.id(), "java: names have no host"));
        }
    }

    private static void broad(Rule r, List<Finding> out) {
        for (String p : r.values(Selector.PATHS)) {
            if (broadPath(p)) out.add(new Finding(Kind.BROAD, r.category(), r.id(), "path '" + p + "' covers a whole system tree"));
        }
        for (String e : r.values(Selector.EXECUTABLES)) {
            String last = e.substring(e.lastIndexOf('/') + 1);
            if (e.endsWith("/**") || last.equals("*") || broadPath(e)) {
                out.add(new Finding(Kind.BROAD, r.category(), r.id(), "executable '" + e + "' allows any program in a directory"));
            }
        }
        if (r.category() == Category.PROCESS && r.values(Selector.EXECUTABLES).isEmpty()) {
            out.add(new Finding(Kind.BROAD, r.category(), r.id(), "no executables: allows starting any program"));
        }
        if (r.category() == Category.FILE && r.operations().contains(Operation.EXEC)) {
            for (String p : r.values(Selector.PATHS)) {
                if (p.contains("*")) out.add(new Finding(Kind.BROAD, r.category(), r.id(), "exec of a pattern '" + p + "'"));
            }
        }
        for (String c : r.values(Selector.CIDRS)) {
            Cidr cidr = Cidr.parse(c);
            if (cidr != null && cidr.prefix() < (cidr.isV4() ? 8 : 32)) {
                out.add(new Finding(Kind.BROAD, r.category(), r.id(), "address block '" + c + "' covers a large part of the internet"));
            }
        }
        List<Selector> hostSelectors = List.of(Selector.HOSTS, Selector.NAMES);
        for (Selector s : hostSelectors) {
            for (String h : r.values(s)) {
                if (h.startsWith("*.") && h.indexOf('.', 2) < 0) {
                    out.add(new Finding(Kind.BROAD, r.category(), r.id(), s.yamlName() + " '" + h + "' covers a whole top-level domain"));
                }
            }
        }
        if (r.category() == Category.NETWORK && r.operations().contains(Operation.CONNECT)
                && r.values(Selector.HOSTS).isEmpty() && r.values(Selector.CIDRS).isEmpty()) {
            out.add(new Finding(Kind.BROAD, r.category(), r.id(), "connect without hosts or cidrs: allows any destination"));
        }
        for (String p : r.values(Selector.PORTS)) {
            PortRange range = PortRange.parse(p);
            if (range != null && range.low() <= 1024 && range.high() >= 65535) {
                out.add(new Finding(Kind.BROAD, r.category(), r.id(), "ports '" + p + "' cover every service port"));
            }
        }
        for (String c : r.values(Selector.CLASSES)) {
            if (c.equals("**") || c.equals("*") || c.matches("(java|javax|jdk|sun|com|org|net)\\.\\*\\*")) {
                out.add(new Finding(Kind.BROAD, r.category(), r.id(), "classes '" + c + "' cover whole ecosystems"));
            }
        }
        if ((r.category() == Category.DESERIALIZATION || r.category() == Category.JNDI || r.category() == Category.DNS)
                && r.selectors().isEmpty()) {
            out.add(new Finding(Kind.BROAD, r.category(), r.id(), "no selectors: matches everything in " + r.category().yamlName()));
        }
    }

    private static boolean broadPath(String p) {
        if (p.equals("/**") || p.equals("/*")) return true;
        if (p.startsWith("/*/")) return true;
        if (p.endsWith("/**")) return BROAD_TREES.contains(p.substring(0, p.length() - 3));
        return false;
    }

    private static void secrets(Rule r, List<Finding> out) {
        if (r.category() != Category.FILE) return;
        if (!r.operations().contains(Operation.READ) && !r.operations().contains(Operation.EXEC)) return;
        for (String p : r.values(Selector.PATHS)) {
            for (String secret : SECRETS) {
                if (Coverage.pathCovers(p, secret)) {
                    out.add(new Finding(Kind.SECRET, r.category(), r.id(), "path '" + p + "' allows reading " + secret));
                    break;
                }
            }
        }
    }
}
