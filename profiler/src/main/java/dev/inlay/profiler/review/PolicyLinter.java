package dev.inlay.profiler.review;

import dev.inlay.model.LayerLayout;
import dev.inlay.policy.Category;
import dev.inlay.policy.Cidr;
import dev.inlay.policy.Operation;
import dev.inlay.policy.Patterns;
import dev.inlay.policy.Policy;
import dev.inlay.policy.PortRange;
import dev.inlay.policy.Roots;
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
    public enum Kind {
        BROAD,
        SECRET,
        SHADOWED,
        NEVER_MATCHES
    }

    public record Finding(Kind kind, Category category, String ruleId, String message) {
        public String describe() {
            return kind.name().toLowerCase().replace('_', '-') + ": " + category.yamlName() + "/" + ruleId + ": "
                    + message;
        }
    }

    /** Files that hold credentials: a rule that permits reading them is almost always a mistake. */
    static final List<String> SECRETS = List.of(
            "/etc/shadow",
            "/etc/gshadow",
            "/etc/sudoers",
            "/etc/ssh/ssh_host_rsa_key",
            "/root/.ssh/id_rsa",
            "/home/user/.ssh/id_rsa",
            "/root/.aws/credentials",
            "/home/user/.aws/credentials",
            "/root/.kube/config",
            "/proc/self/environ",
            "/proc/1/environ",
            "/var/run/secrets/kubernetes.io/serviceaccount/token",
            "/run/secrets/kubernetes.io/serviceaccount/token",
            "/etc/ssl/private/server.key",
            "/etc/ssh/ssh_host_ed25519_key",
            "/home/user/.ssh/authorized_keys",
            "/root/.ssh/authorized_keys",
            "/home/user/.kube/config",
            "/home/user/.docker/config.json",
            "/root/.docker/config.json",
            "/home/user/.config/gcloud/application_default_credentials.json",
            "/root/.config/gcloud/application_default_credentials.json",
            "/home/user/.azure/msal_token_cache.json",
            "/root/.azure/msal_token_cache.json",
            "/run/secrets/db_password",
            "/etc/security/opasswd");
    /**
     * Where every file is a secret or tells about one: a rule whose paths lie wholly inside one of these allows a
     * secret even when it names no file above ({@code /root/.bashrc}, {@code /run/secrets/api-key}).
     */
    static final List<String> SECRET_TREES = List.of(
            "/etc/shadow",
            "/etc/gshadow",
            "/etc/sudoers",
            "/etc/sudoers.d",
            "/etc/ssl/private",
            "/etc/ssh/ssh_host_*",
            "/root",
            "/run/secrets",
            "/var/run/secrets",
            "/proc/*/environ",
            "/home/*/.ssh",
            "/home/*/.aws",
            "/home/*/.kube",
            "/home/*/.docker",
            "/home/*/.config/gcloud",
            "/home/*/.azure",
            "/home/*/.gnupg",
            "/home/*/.netrc",
            "/home/*/.git-credentials",
            "/home/*/.pgpass");
    /** Trees whose whole content a rule should never allow at once. */
    private static final Set<String> BROAD_TREES = Set.of(
            "/", "/etc", "/usr", "/var", "/proc", "/sys", "/dev", "/root", "/home", "/tmp", "/opt", "/bin", "/sbin",
            "/lib", "/lib64", "/run", "/app", "/srv");
    /**
     * Domains shared by every customer of a public cloud or hosting service: anyone can own a name under them, so a
     * wildcard over one lets the application reach an attacker's bucket, function or site.
     */
    static final Set<String> PUBLIC_CLOUD_DOMAINS = Set.of(
            "amazonaws.com",
            "on.aws",
            "cloudfront.net",
            "elasticbeanstalk.com",
            "awsapps.com",
            "amplifyapp.com",
            "azure.com",
            "azure.net",
            "windows.net",
            "core.windows.net",
            "blob.core.windows.net",
            "file.core.windows.net",
            "queue.core.windows.net",
            "table.core.windows.net",
            "dfs.core.windows.net",
            "web.core.windows.net",
            "servicebus.windows.net",
            "database.windows.net",
            "azurewebsites.net",
            "azureedge.net",
            "azurefd.net",
            "azurecr.io",
            "azure-api.net",
            "cloudapp.net",
            "cloudapp.azure.com",
            "trafficmanager.net",
            "vault.azure.net",
            "googleapis.com",
            "storage.googleapis.com",
            "googleusercontent.com",
            "appspot.com",
            "cloudfunctions.net",
            "run.app",
            "web.app",
            "firebaseapp.com",
            "firebaseio.com",
            "gcr.io",
            "pkg.dev",
            "oraclecloud.com",
            "digitaloceanspaces.com",
            "ondigitalocean.app",
            "herokuapp.com",
            "workers.dev",
            "pages.dev",
            "r2.dev",
            "r2.cloudflarestorage.com",
            "fastly.net",
            "akamaihd.net",
            "github.io",
            "githubusercontent.com",
            "vercel.app",
            "netlify.app",
            "ngrok.io",
            "ngrok-free.app");
    /** Labels of the shared (not per-customer) parts of AWS names: services and regions. */
    private static final java.util.regex.Pattern AWS_SHARED_LABEL = java.util.regex.Pattern.compile(
            "s3|s3-[a-z0-9-]+|dualstack|execute-api|elb|compute|compute-1|ec2|rds|lambda-url|sqs|sns|es|dynamodb|"
                    + "kinesis|ecr|dkr|api|cloudfront|[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+");
    /**
     * Where generated data (an upload, a cache file) has no business: the system's and other programs' trees. A write
     * pattern anywhere under these writes outside the application's own data directories.
     */
    static final List<String> SYSTEM_WRITE_TREES = List.of(
            "/etc",
            "/usr",
            "/bin",
            "/sbin",
            "/lib",
            "/lib32",
            "/lib64",
            "/libx32",
            "/boot",
            LayerLayout.DIR,
            "/root",
            "/proc",
            "/sys",
            "/dev",
            "/run",
            "/var/run",
            "/var/spool",
            "/var/mail",
            "/var/backups");
    /** Shared parents of per-application directories: a write pattern directly in one spans other programs' data. */
    static final Set<String> SHARED_DATA_PARENTS = Set.of(
            "/",
            "/var",
            "/var/lib",
            "/var/cache",
            "/var/log",
            "/opt",
            "/srv",
            "/home",
            "/mnt",
            "/media",
            "/var/opt",
            "/var/www",
            "/usr/local");

    private PolicyLinter() {}

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
                out.add(new Finding(
                        Kind.SHADOWED,
                        r.category(),
                        r.id(),
                        severity > 0
                                ? "never decides: " + s.id() + " (" + s.action().wireName() + ") covers all it matches"
                                : "redundant: " + s.id() + " already covers all it matches"));
                return;
            }
        }
    }

    private static void neverMatches(Rule r, List<Finding> out) {
        for (Operation op : r.operations()) {
            if (!r.category().operations().contains(op)) {
                out.add(new Finding(
                        Kind.NEVER_MATCHES,
                        r.category(),
                        r.id(),
                        "operation " + op.wireName() + " does not exist in "
                                + r.category().yamlName()));
            }
        }
        for (Selector s : r.selectors().keySet()) {
            if (!r.category().selectors().contains(s)) {
                out.add(new Finding(
                        Kind.NEVER_MATCHES,
                        r.category(),
                        r.id(),
                        "selector " + s.yamlName() + " does not exist in "
                                + r.category().yamlName()));
            } else if (r.values(s).isEmpty() && r.selectors().get(s).isEmpty() && s != Selector.ARGS) {
                out.add(new Finding(Kind.NEVER_MATCHES, r.category(), r.id(), s.yamlName() + " is empty"));
            }
        }
        for (String p : r.values(Selector.PORTS)) {
            if (PortRange.parse(p) == null) {
                out.add(new Finding(
                        Kind.NEVER_MATCHES, r.category(), r.id(), "port range '" + p + "' is empty or invalid"));
            }
        }
        if (r.category() == Category.NETWORK
                && !r.values(Selector.HOSTS).isEmpty()
                && !r.operations().contains(Operation.CONNECT)) {
            out.add(new Finding(
                    Kind.NEVER_MATCHES,
                    r.category(),
                    r.id(),
                    "hosts name the remote side of a connect; listen and accept have no host name"));
        }
        if (r.category() == Category.JNDI
                && !r.values(Selector.HOSTS).isEmpty()
                && !r.values(Selector.SCHEMES).isEmpty()
                && r.values(Selector.SCHEMES).stream().allMatch("java"::equals)) {
            out.add(new Finding(Kind.NEVER_MATCHES, r.category(), r.id(), "java: names have no host"));
        }
    }

    private static void broad(Rule r, List<Finding> out) {
        for (String p : r.values(Selector.PATHS)) {
            if (broadPath(p)) {
                out.add(new Finding(
                        Kind.BROAD,
                        r.category(),
                        r.id(),
                        "path '" + p + "' covers a whole "
                                + (p.startsWith("${")
                                        ? "working directory, which is / in many images"
                                        : "system tree")));
            }
        }
        for (String e : r.values(Selector.EXECUTABLES)) {
            String last = e.substring(e.lastIndexOf('/') + 1);
            if (e.endsWith("/**") || last.equals("*") || broadPath(e)) {
                out.add(new Finding(
                        Kind.BROAD, r.category(), r.id(), "executable '" + e + "' allows any program in a directory"));
            }
        }
        if (r.category() == Category.PROCESS && r.values(Selector.EXECUTABLES).isEmpty()) {
            out.add(new Finding(Kind.BROAD, r.category(), r.id(), "no executables: allows starting any program"));
        }
        if (r.category() == Category.FILE && r.operations().contains(Operation.EXEC)) {
            for (String p : r.values(Selector.PATHS)) {
                if (Patterns.hasWildcard(p))
                    out.add(new Finding(Kind.BROAD, r.category(), r.id(), "exec of a pattern '" + p + "'"));
            }
        }
        if (r.category() == Category.FILE
                && (r.operations().contains(Operation.WRITE)
                        || r.operations().contains(Operation.CREATE)
                        || r.operations().contains(Operation.DELETE))) {
            for (String p : r.values(Selector.PATHS)) {
                String outside = writesOutsideOwnData(p);
                if (outside != null)
                    out.add(new Finding(Kind.BROAD, r.category(), r.id(), "writes to '" + p + "': " + outside));
            }
        }
        for (String c : r.values(Selector.CIDRS)) {
            Cidr cidr = Cidr.parse(c);
            if (cidr != null && cidr.prefix() < (cidr.isV4() ? 8 : 32)) {
                out.add(new Finding(
                        Kind.BROAD,
                        r.category(),
                        r.id(),
                        "address block '" + c + "' covers a large part of the internet"));
            }
        }
        List<Selector> hostSelectors = List.of(Selector.HOSTS, Selector.NAMES);
        for (Selector s : hostSelectors) {
            for (String h : r.values(s)) {
                if (h.startsWith("*.") && h.indexOf('.', 2) < 0) {
                    out.add(new Finding(
                            Kind.BROAD,
                            r.category(),
                            r.id(),
                            s.yamlName() + " '" + h + "' covers a whole top-level domain"));
                } else if (h.startsWith("*.") && publicCloudDomain(h.substring(2))) {
                    out.add(new Finding(
                            Kind.BROAD,
                            r.category(),
                            r.id(),
                            s.yamlName() + " '" + h
                                    + "' covers a whole public-cloud domain: anyone can host a name under it"));
                }
            }
        }
        if (r.category() == Category.NETWORK
                && r.operations().contains(Operation.CONNECT)
                && r.values(Selector.HOSTS).isEmpty()
                && r.values(Selector.CIDRS).isEmpty()) {
            out.add(new Finding(
                    Kind.BROAD, r.category(), r.id(), "connect without hosts or cidrs: allows any destination"));
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
                && (r.selectors().isEmpty()
                        || (r.selectors().size() == 1 && r.selectors().containsKey(Selector.COMPONENTS)))) {
            // components say who asks, not what: a rule with only them still matches everything that code does
            out.add(new Finding(
                    Kind.BROAD,
                    r.category(),
                    r.id(),
                    "no selectors: matches everything in " + r.category().yamlName()
                            + (r.selectors().isEmpty() ? "" : " for its components")));
        }
    }

    private static boolean broadPath(String p) {
        // ${user.dir} is '/' in many images (no WORKDIR); ${java.home}/** and ${java.io.tmpdir}/** are the JDK's and
        // the temporary files, ${app.classpath}/** the application's code: normal to read (writes: below)
        if (p.startsWith("${")) return p.equals("${" + Roots.USER_DIR + "}/**");
        if (p.equals("/**") || p.equals("/*")) return true;
        if (p.startsWith("/*/")) return true;
        if (p.endsWith("/**")) return BROAD_TREES.contains(p.substring(0, p.length() - 3));
        return false;
    }

    /** Why a written path pattern lies outside the application's own data directories, or null. */
    static String writesOutsideOwnData(String p) {
        String root = Roots.rootOf(p);
        if (root != null) {
            // the JDK and the application's code are where a write would plant code, even to one named file
            if (root.equals(Roots.JAVA_HOME)) return "a write into the JDK";
            if (root.equals(Roots.APP_CLASSPATH)) return "a write to the application's code";
            return null; // the temporary directory and the working directory hold the application's own data
        }
        if (!Patterns.hasWildcard(p)) return null; // a literal file is reviewed as what it is
        for (String tree : SYSTEM_WRITE_TREES) {
            if (p.startsWith(tree + "/") && !p.startsWith("/dev/shm/")) return "a pattern in the system tree " + tree;
        }
        // the directory in which the pattern starts to vary: /var/lib/* varies over every program's state
        String fixed = "";
        for (String segment : p.substring(1).split("/", -1)) {
            if (Patterns.hasWildcard(segment)) break;
            fixed = fixed + "/" + segment;
        }
        if (fixed.isEmpty()) fixed = "/";
        if (SHARED_DATA_PARENTS.contains(fixed)) return "a pattern over the directories of other programs in " + fixed;
        return null;
    }

    /** A shared public-cloud domain, or an AWS domain that names only services and regions ({@code s3.us-east-1.amazonaws.com}). */
    static boolean publicCloudDomain(String domain) {
        if (PUBLIC_CLOUD_DOMAINS.contains(domain)) return true;
        if (!domain.endsWith(".amazonaws.com") && !domain.endsWith(".amazonaws.com.cn")) return false;
        String labels = domain.substring(0, domain.indexOf(".amazonaws.com"));
        for (String label : labels.split("\\.")) {
            if (!AWS_SHARED_LABEL.matcher(label).matches()) return false;
        }
        return true;
    }

    private static void secrets(Rule r, List<Finding> out) {
        if (r.category() != Category.FILE) return;
        // every operation: reading a key, planting one (authorized_keys) and listing what is there all count
        for (String p : r.values(Selector.PATHS)) {
            String why = null;
            for (String secret : SECRETS) {
                if (Coverage.pathCovers(p, secret)) {
                    why = "allows " + secret;
                    break;
                }
            }
            for (int i = 0; why == null && i < SECRET_TREES.size(); i++) {
                String tree = SECRET_TREES.get(i);
                if (p.equals(tree) || Coverage.pathCovers(tree + "/**", p))
                    why = "lies in " + tree + ", where files are secrets";
            }
            if (why != null) out.add(new Finding(Kind.SECRET, r.category(), r.id(), "path '" + p + "' " + why));
        }
    }

    /**
     * The findings about what one rule permits ({@link Kind#BROAD}, {@link Kind#SECRET}), without the rest of its
     * policy: the gate {@code policy generate} passes every generated rule through.
     */
    public static List<Finding> permissions(Rule r) {
        List<Finding> out = new ArrayList<>();
        if (Coverage.permits(r.action())) {
            broad(r, out);
            secrets(r, out);
        }
        return out;
    }
}
