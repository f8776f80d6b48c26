package dev.inlay.profiler.generate;

import dev.inlay.policy.Action;
import dev.inlay.policy.Category;
import dev.inlay.policy.Mode;
import dev.inlay.policy.Operation;
import dev.inlay.policy.Policy;
import dev.inlay.policy.PolicyParser;
import dev.inlay.policy.Rule;
import dev.inlay.policy.Selector;
import dev.inlay.policy.engine.PolicyEngine;
import dev.inlay.profiler.Docs;
import dev.inlay.profiler.profile.MergedProfile;
import dev.inlay.profiler.profile.ProfileReader;
import dev.inlay.profiler.review.PolicyLinter;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import static dev.inlay.profiler.Docs.behavior;
import static dev.inlay.profiler.Docs.connect;
import static dev.inlay.profiler.Docs.exec;
import static dev.inlay.profiler.Docs.file;
import static dev.inlay.profiler.Docs.summary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorTest {
    static final String JDK = "/usr/lib/jvm/temurin-17-jre";

    static PolicyGenerator.Generated generate(String... behaviors) throws IOException {
        MergedProfile merged = new MergedProfile();
        ProfileReader.read(new StringReader(Docs.simple(1, behaviors)), merged);
        return PolicyGenerator.generate(merged, PolicyGenerator.Options.defaults());
    }

    static List<String> paths(Policy p) {
        List<String> out = new ArrayList<>();
        for (Rule r : p.rules(Category.FILE)) out.addAll(r.values(Selector.PATHS));
        return out;
    }

    static Rule only(Policy p, Category c) {
        List<Rule> rules = p.rules(c);
        assertEquals(1, rules.size(), rules.toString());
        return rules.get(0);
    }

    /**
     * Capabilities are learned by the code source that asked: the library that used Unsafe gets it, nothing else does,
     * and code without a code source cannot be named (it stays denied, with a note).
     */
    @Test
    void capabilitiesBecomeOneRulePerCallingCodeSource() throws IOException {
        String t = "2026-11-23T17:01:00.000Z";
        PolicyGenerator.Generated g = generate(
                behavior("capability", "unsafe", "/app/lib/netty-common-4.1.100.jar", 3, t, t),
                behavior("capability", "reflect", "/app/lib/netty-common-4.1.100.jar", 1, t, t),
                behavior("capability", "instrument", "/opt/apm/agent.jar", 1, t, t),
                behavior("capability", "unsafe", "<unknown>", 1, t, t));
        Policy p = g.policy();
        List<Rule> rules = p.rules(Category.CAPABILITY);
        assertEquals(2, rules.size(), rules.toString());
        Rule netty = rules.stream()
                .filter(r -> r.values(Selector.CALLERS).equals(List.of("/app/lib/netty-common-4.1.100.jar")))
                .findFirst()
                .orElseThrow();
        assertEquals(java.util.Set.of(Operation.UNSAFE, Operation.REFLECT), netty.operations());
        assertEquals(Action.DENY, p.defaultAction(Category.CAPABILITY));
        dev.inlay.policy.engine.PolicyEngine engine = dev.inlay.policy.engine.PolicyEngine.compile(p);
        assertEquals(
                Action.ALLOW,
                engine.capability(Operation.UNSAFE, "/app/lib/netty-common-4.1.100.jar", "sun.misc.Unsafe")
                        .action());
        assertEquals(
                Action.DENY,
                engine.capability(Operation.UNSAFE, "/app/lib/other.jar", "sun.misc.Unsafe")
                        .action());
        assertEquals(
                Action.DENY,
                engine.capability(Operation.UNSAFE, "/opt/apm/agent.jar", "sun.misc.Unsafe")
                        .action());
        assertTrue(
                g.header().stream().anyMatch(n -> n.contains("1 behaviors not expressible")),
                g.header().toString());
    }

    @Test
    void aLearnedCallerWithAStarIsALiteralCodeSource() throws IOException {
        String t = "2026-11-23T17:01:00.000Z";
        Policy p = generate(behavior("capability", "unsafe", "/app/lib/*", 1, t, t))
                .policy();
        dev.inlay.policy.engine.PolicyEngine engine = dev.inlay.policy.engine.PolicyEngine.compile(p);
        assertEquals(
                Action.DENY,
                engine.capability(Operation.UNSAFE, "/app/lib/gadget.jar", "sun.misc.Unsafe")
                        .action());
        assertEquals(
                Action.ALLOW,
                engine.capability(Operation.UNSAFE, "/app/lib/*", "sun.misc.Unsafe")
                        .action());
    }

    @Test
    void aLearnedNameThatBeginsLikeARootIsNotARoot() throws Exception {
        PolicyGenerator.Generated g =
                generate(exec("${app.classpath}", "${app.classpath}"), file("read", "/app/conf.yml"));
        PolicyEngine engine = PolicyEngine.compile(g.policy());
        assertTrue(g.policy().rules(Category.PROCESS).isEmpty(), g.toYaml());
        assertTrue(
                engine.process(List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0]))
                        .action()
                        .blocks(),
                g.toYaml());
    }

    @Test
    void temporaryFileNamesBecomePatterns() throws IOException {
        Policy p = generate(
                        file("write", "/tmp/upload-8812.tmp"),
                        file("create", "/tmp/upload-8812.tmp"),
                        file("write", "/tmp/upload-310299.tmp"))
                .policy();
        Rule r = only(p, Category.FILE);
        assertEquals(List.of("/tmp/upload-*.tmp"), r.values(Selector.PATHS));
        assertEquals(java.util.Set.of(Operation.WRITE, Operation.CREATE), r.operations());
    }

    @Test
    void numberedUuidAndHashSegmentsAndPerRunDirectoriesBecomeStars() throws IOException {
        Policy p = generate(
                        file("write", "/var/app/runs/6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a6b/out.log"),
                        file("read", "/var/cache/app/3f786850e387550fdab836ed7e6dc881de23001b/blob"),
                        file("read", "/data/partitions/0042/index"),
                        file("read", "/app/lib/jackson-databind-2.20.1.jar"))
                .policy();
        assertTrue(paths(p).contains("/var/app/runs/*/out.log"), paths(p).toString());
        assertTrue(paths(p).contains("/var/cache/app/*/blob"), paths(p).toString());
        assertTrue(paths(p).contains("/data/partitions/*/index"), paths(p).toString());
        assertTrue(paths(p).contains("/app/lib/jackson-databind-2.20.1.jar"), "versions are stable: " + paths(p));
    }

    @Test
    void jdkFilesBecomeTheJdkHomeForReadOnly() throws IOException {
        Policy p = generate(
                        file("read", JDK + "/conf/security/java.security"),
                        file("read", JDK + "/lib/tzdb.dat"),
                        file("read", JDK + "/lib/security/cacerts"),
                        file("write", JDK + "/lib/security/cacerts"),
                        behavior(
                                "native",
                                "load",
                                JDK + "/lib/libnet.so",
                                1,
                                "2026-11-23T17:01:00.000Z",
                                "2026-11-23T17:01:00.000Z"))
                .policy();
        assertTrue(paths(p).contains(JDK + "/**"), paths(p).toString());
        assertTrue(paths(p).contains(JDK + "/lib/security/cacerts"), "a write stays exact: " + paths(p));
        Rule home = p.rules(Category.FILE).stream()
                .filter(r -> r.values(Selector.PATHS).contains(JDK + "/**"))
                .findFirst()
                .orElseThrow();
        assertEquals(java.util.Set.of(Operation.READ), home.operations());
        assertEquals("file-jdk", home.id());
        assertEquals(List.of(JDK + "/**"), only(p, Category.NATIVE).values(Selector.PATHS));
    }

    @Test
    void applicationJarsBecomeOneRuleButOneJarStaysExact() throws IOException {
        Policy p = generate(
                        file("read", "/app/lib/app.jar"),
                        file("read", "/app/lib/jackson-core-2.20.1.jar"),
                        file("read", "/opt/tool/tool.jar"))
                .policy();
        assertEquals(
                List.of("/app/lib/*.jar", "/opt/tool/tool.jar"),
                paths(p).stream().sorted().toList());
        assertTrue(
                p.rules(Category.FILE).stream().anyMatch(r -> r.id().equals("file-app-lib-jar")),
                p.rules().toString());
    }

    @Test
    void manyReadOnlySiblingsCollapseButNotWritesNorSystemDirectories() throws IOException {
        List<String> b = new ArrayList<>();
        for (int i = 0; i < 8; i++) b.add(file("read", "/app/static/page" + (char) ('a' + i) + ".html"));
        for (int i = 0; i < 7; i++) b.add(file("write", "/app/out/file" + (char) ('a' + i)));
        for (int i = 0; i < 8; i++) b.add(file("read", "/etc/conf" + (char) ('a' + i)));
        for (int i = 0; i < 8; i++) b.add(file("read", "/proc/self/f" + (char) ('a' + i)));
        Policy p = generate(b.toArray(String[]::new)).policy();
        List<String> paths = paths(p);
        assertTrue(paths.contains("/app/static/*"), paths.toString());
        assertFalse(paths.stream().anyMatch(s -> s.startsWith("/app/static/page")), paths.toString());
        assertTrue(paths.contains("/app/out/filea"), "seven written names are not a data directory: " + paths);
        assertFalse(paths.contains("/etc/*"), paths.toString());
        assertFalse(paths.contains("/proc/self/*"), paths.toString());
        assertEquals(1 + 7 + 8 + 8, paths.size());
    }

    @Test
    void manyWrittenNamesMakeADataDirectoryButNeverInSystemOrCodeDirectories() throws Exception {
        List<String> b = new ArrayList<>();
        String[] names = {"q1-report.txt", "minutes.md", "notes", "README", "budget.csv", "plan.md", "nda.txt", "x.pdf"
        };
        for (String n : names) {
            b.add(file("write", "/app/data/docs/" + n));
            b.add(file("read", "/app/data/docs/" + n));
            b.add(file("write", "/etc/app/" + n));
            b.add(file("write", "/usr/share/app/" + n));
            b.add(file("write", "/var/tmp/cache/" + n));
            b.add(file("write", "/srv/plugins/" + n));
            b.add(file("write", JDK + "/conf/" + n));
        }
        b.add(file("create", "/app/data/docs"));
        b.add(file("read", "/srv/plugins/extra.jar"));
        b.add(file("read", JDK + "/lib/modules"));
        String yaml = generate(b.toArray(String[]::new)).toYaml();
        Policy p = PolicyParser.parse(yaml, "generated");
        List<String> paths = paths(p);
        Rule docs = p.rules(Category.FILE).stream()
                .filter(r -> r.values(Selector.PATHS).contains("/app/data/docs/*"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(paths.toString()));
        assertEquals(java.util.Set.of(Operation.READ, Operation.WRITE), docs.operations());
        assertTrue(paths.contains("/app/data/docs"), "the directory itself stays its own rule: " + paths);
        assertTrue(yaml.contains("generalized from 16 behaviors, e.g. /app/data/docs/README"), yaml);
        assertEquals("file-app-data-docs-files", docs.id(), "no hash suffix next to the directory's own rule");
        for (String dir : List.of("/etc/app", "/usr/share/app", "/var/tmp/cache", "/srv/plugins", JDK + "/conf")) {
            assertFalse(paths.contains(dir + "/*"), dir + " never gets a generated write pattern: " + paths);
            assertTrue(paths.contains(dir + "/notes"), paths.toString());
        }
        PolicyEngine engine = PolicyEngine.compile(p);
        assertFalse(engine.file(Operation.WRITE, "/app/data/docs/new-upload.txt")
                .action()
                .blocks());
        assertFalse(engine.file(Operation.READ, "/app/data/docs/new-upload.txt")
                .action()
                .blocks());
        assertTrue(
                engine.file(Operation.DELETE, "/app/data/docs/new-upload.txt")
                        .action()
                        .blocks(),
                "unseen operation");
        assertTrue(engine.file(Operation.WRITE, "/app/data/docs/sub/x").action().blocks(), "one level only");
        assertTrue(engine.file(Operation.READ, "/app/data/docs/../../../etc/passwd")
                .action()
                .blocks());
    }

    @Test
    void oneExecutableOnManyFilesOfOneDirectoryBecomesADirectoryArgument() throws Exception {
        List<String> b = new ArrayList<>();
        String[] names = {"q1-report.txt", "minutes.md", "notes", "README", "budget.csv", "plan.md", "nda.txt", "x.pdf"
        };
        for (String n : names) {
            b.add(exec("/usr/bin/sha256sum", "/usr/bin/sha256sum", "/app/data/docs/" + n));
            b.add(exec("/usr/bin/convert", "convert", "/app/in/" + n, "-resize", "50%", "/app/out/" + n));
            b.add(exec("/usr/bin/getent", "getent", "hosts", n)); // not paths: never widened
            b.add(exec("/usr/bin/cat", "cat", "/etc/" + n)); // a system directory: stays exact
            b.add(exec("/usr/bin/bash", "bash", "/app/data/docs/" + n)); // an interpreter: the argument is code
        }
        b.add(exec("/usr/bin/sha256sum", "/usr/bin/sha256sum", "-b", "/app/data/docs/notes")); // another shape
        for (int i = 0; i < 8; i++) b.add(exec("/usr/bin/wc", "wc", "/app/data/docs/../" + (char) ('a' + i)));
        String yaml = generate(b.toArray(String[]::new)).toYaml();
        Policy p = PolicyParser.parse(yaml, "generated");
        List<List<String>> sha = new ArrayList<>();
        List<List<String>> convert = new ArrayList<>();
        List<List<String>> guards = new ArrayList<>();
        for (Rule r : p.rules(Category.PROCESS)) {
            if (r.action() == dev.inlay.policy.Action.DENY) {
                guards.add(r.values(Selector.ARGS));
                continue;
            }
            if (r.values(Selector.EXECUTABLES).contains("/usr/bin/sha256sum")) sha.add(r.values(Selector.ARGS));
            if (r.values(Selector.EXECUTABLES).contains("/usr/bin/convert")) convert.add(r.values(Selector.ARGS));
        }
        assertEquals(List.of(), guards, "path-like args match as paths in the engine: no guard rules needed");
        assertTrue(sha.contains(List.of("/app/data/docs/*")), sha.toString());
        assertTrue(sha.contains(List.of("-b", "/app/data/docs/notes")), sha.toString());
        assertEquals(2, sha.size(), sha.toString());
        assertEquals(List.of(List.of("/app/in/*", "-resize", "50%", "/app/out/*")), convert);
        assertTrue(yaml.contains("id: \"process-sha256sum-docs\""), yaml);
        assertEquals(
                8,
                p.rules(Category.PROCESS).stream()
                        .filter(r -> r.values(Selector.EXECUTABLES).contains("/usr/bin/getent"))
                        .count());
        assertTrue(
                PolicyLinter.lint(p).stream()
                        .noneMatch(f -> f.kind() != PolicyLinter.Kind.SHADOWED
                                && f.ruleId().startsWith("process-")),
                PolicyLinter.lint(p).toString());
        assertEquals(
                8,
                p.rules(Category.PROCESS).stream()
                        .filter(r -> r.values(Selector.EXECUTABLES).contains("/usr/bin/cat"))
                        .count());
        assertEquals(
                8,
                p.rules(Category.PROCESS).stream()
                        .filter(r -> r.values(Selector.EXECUTABLES).contains("/usr/bin/bash"))
                        .count(),
                "a shell's script argument is never widened");
        assertEquals(
                8,
                p.rules(Category.PROCESS).stream()
                        .filter(r -> r.values(Selector.EXECUTABLES).contains("/usr/bin/wc"))
                        .count(),
                "arguments with .. segments are never generalized");
        PolicyEngine engine = PolicyEngine.compile(p);
        assertFalse(engine.process(List.of("/usr/bin/sha256sum", "/app/data/docs/new.txt"))
                .action()
                .blocks());
        assertTrue(engine.process(List.of("/usr/bin/sha256sum", "/etc/shadow"))
                .action()
                .blocks());
        assertTrue(engine.process(List.of("/usr/bin/sha256sum", "/app/data/docs/a", "/etc/shadow"))
                .action()
                .blocks());
        assertTrue(
                engine.process(List.of("/usr/bin/sha256sum", "/app/data/docs/../../../etc/shadow"))
                        .action()
                        .blocks(),
                "path-like args are normalized: traversal stays denied");
        assertTrue(engine.process(List.of("/usr/bin/sha256sum", "/app/data/docs/x/y"))
                .action()
                .blocks());
        assertTrue(engine.process(List.of("/usr/bin/sha256sum", "/app/data/docs/.."))
                .action()
                .blocks());
        assertFalse(engine.process(List.of("/usr/bin/convert", "/app/in/a.png", "-resize", "50%", "/app/out/b.png"))
                .action()
                .blocks());
        assertTrue(engine.process(List.of("/usr/bin/convert", "/app/in/a.png", "-resize", "50%", "/app/out/../../x"))
                .action()
                .blocks());
        assertTrue(engine.process(List.of("/usr/bin/getent", "hosts", "evil"))
                .action()
                .blocks());
    }

    @Test
    void sevenCommandsOnOneDirectoryAreNotEnough() throws IOException {
        List<String> b = new ArrayList<>();
        for (int i = 0; i < 7; i++)
            b.add(exec("/usr/bin/sha256sum", "/usr/bin/sha256sum", "/app/data/docs/" + (char) ('a' + i)));
        assertEquals(
                7,
                generate(b.toArray(String[]::new))
                        .policy()
                        .rules(Category.PROCESS)
                        .size());
    }

    @Test
    void sevenSiblingsAreNotEnough() throws IOException {
        List<String> b = new ArrayList<>();
        for (int i = 0; i < 7; i++) b.add(file("read", "/app/static/page" + (char) ('a' + i) + ".html"));
        assertEquals(7, paths(generate(b.toArray(String[]::new)).policy()).size());
    }

    @Test
    void networkRulesPreferNamesAndKeepOnlyLocalPortsOfServers() throws IOException {
        Policy p = generate(
                        connect("db.internal", "10.0.0.5", 5432),
                        connect(null, "10.0.0.5", 5432),
                        connect(null, "10.0.0.9", 443),
                        behavior(
                                "network",
                                "listen",
                                "tcp://:8080",
                                1,
                                "2026-11-23T17:01:00.000Z",
                                "2026-11-23T17:01:00.000Z"),
                        behavior(
                                "network",
                                "accept",
                                "tcp://:8080",
                                40,
                                "2026-11-23T17:01:00.000Z",
                                "2026-11-23T17:01:00.000Z"))
                .policy();
        List<Rule> rules = p.rules(Category.NETWORK);
        assertEquals(3, rules.size(), rules.toString());
        Rule db = rules.stream()
                .filter(r -> r.values(Selector.HOSTS).contains("db.internal"))
                .findFirst()
                .orElseThrow();
        assertEquals(List.of("5432"), db.values(Selector.PORTS));
        assertTrue(db.values(Selector.CIDRS).isEmpty());
        Rule byAddress = rules.stream()
                .filter(r -> r.values(Selector.CIDRS).contains("10.0.0.9"))
                .findFirst()
                .orElseThrow();
        assertEquals(List.of("443"), byAddress.values(Selector.PORTS));
        Rule server = rules.stream()
                .filter(r -> r.operations().contains(Operation.ACCEPT))
                .findFirst()
                .orElseThrow();
        assertEquals(java.util.Set.of(Operation.LISTEN, Operation.ACCEPT), server.operations());
        assertEquals(List.of("8080"), server.values(Selector.PORTS));
        assertTrue(server.values(Selector.HOSTS).isEmpty()
                && server.values(Selector.CIDRS).isEmpty());
        for (Rule r : rules) for (String c : r.values(Selector.CIDRS)) assertFalse(c.contains("/"), "no blocks: " + c);
    }

    @Test
    void processesKeepExecutableAndGeneralizeVaryingArguments() throws IOException {
        Policy p = generate(
                        exec("/usr/bin/git", "git", "status"),
                        exec(
                                "/usr/bin/convert",
                                "convert",
                                "/tmp/upload-123456.png",
                                "-resize",
                                "50%",
                                "/tmp/thumb-99812.png"))
                .policy();
        List<Rule> rules = p.rules(Category.PROCESS);
        assertEquals(2, rules.size());
        Rule convert = rules.stream()
                .filter(r -> r.values(Selector.EXECUTABLES).contains("/usr/bin/convert"))
                .findFirst()
                .orElseThrow();
        assertEquals(List.of("/tmp/upload-*.png", "-resize", "50%", "/tmp/thumb-*.png"), convert.values(Selector.ARGS));
        Rule git = rules.stream()
                .filter(r -> r.values(Selector.EXECUTABLES).contains("/usr/bin/git"))
                .findFirst()
                .orElseThrow();
        assertEquals(List.of("status"), git.values(Selector.ARGS));
        assertEquals("process-git-status", git.id());
    }

    /**
     * ByteBuddy names its classes with a random suffix, new in every run: Hibernate 6 defines
     * {@code Product$HibernateInstantiator$ohafPP8f} at start-up (bench/springapp, TravelMatrixTest). A learned literal
     * name denied the next run's class and stopped the application.
     */
    @Test
    void byteBuddyRandomSuffixesOfHibernateClassesArePatterns() throws IOException {
        String t = "2026-11-23T17:01:00.000Z";
        Policy p = generate(
                        behavior("classdef", "define", "shop.Product$HibernateInstantiator$ohafPP8f", 1, t, t),
                        behavior("classdef", "define", "shop.Product$HibernateAccessOptimizer$Xy12ab9Q", 1, t, t),
                        behavior("classdef", "define", "shop.Product$HibernateBasicProxy$k2LmN0pq", 1, t, t),
                        behavior("classdef", "define", "shop.Product$HibernateProxy$olXN4yMg", 1, t, t))
                .policy();
        List<String> classes = new ArrayList<>();
        for (Rule r : p.rules(Category.CLASS_DEFINITION)) classes.addAll(r.values(Selector.CLASSES));
        java.util.Collections.sort(classes);
        assertEquals(
                List.of(
                        "shop.Product$HibernateAccessOptimizer$*",
                        "shop.Product$HibernateBasicProxy$*",
                        "shop.Product$HibernateInstantiator$*",
                        "shop.Product$HibernateProxy$*"),
                classes);
    }

    @Test
    void generatedClassesDnsAndDeserialization() throws IOException {
        List<String> b = new ArrayList<>();
        b.add(behavior(
                "classdef",
                "define",
                "com.example.Api$$Lambda$14/0x0000000800c03000",
                1,
                "2026-11-23T17:01:00.000Z",
                "2026-11-23T17:01:00.000Z"));
        b.add(behavior(
                "classdef",
                "define",
                "com.example.Api$$Lambda$15/0x0000000800c04000",
                1,
                "2026-11-23T17:01:00.000Z",
                "2026-11-23T17:01:00.000Z"));
        b.add(behavior("dns", "resolve", "DB.Internal", 1, "2026-11-23T17:01:00.000Z", "2026-11-23T17:01:00.000Z"));
        for (int i = 0; i < 8; i++) {
            b.add(behavior(
                    "deserialization",
                    "deserialize",
                    "com.example.dto.Type" + (char) ('A' + i),
                    1,
                    "2026-11-23T17:01:00.000Z",
                    "2026-11-23T17:01:00.000Z"));
            b.add(behavior(
                    "deserialization",
                    "deserialize",
                    "java.util.Type" + (char) ('A' + i),
                    1,
                    "2026-11-23T17:01:00.000Z",
                    "2026-11-23T17:01:00.000Z"));
        }
        Policy p = generate(b.toArray(String[]::new)).policy();
        assertEquals(
                List.of("com.example.Api$$Lambda*"),
                only(p, Category.CLASS_DEFINITION).values(Selector.CLASSES));
        assertEquals(List.of("db.internal"), only(p, Category.DNS).values(Selector.NAMES));
        List<String> classes = new ArrayList<>();
        for (Rule r : p.rules(Category.DESERIALIZATION)) classes.addAll(r.values(Selector.CLASSES));
        assertTrue(classes.contains("com.example.dto.*"), classes.toString());
        assertFalse(classes.contains("java.util.*"), "JDK packages never collapse: " + classes);
        assertEquals(9, classes.size());
    }

    @Test
    void neverGeneratesBroadPatterns() throws IOException {
        List<String> b = new ArrayList<>();
        for (int i = 0; i < 20; i++) b.add(file("read", "/f" + i + "x"));
        for (int i = 0; i < 20; i++) b.add(file("read", "/tmp/cache-" + (char) ('a' + i)));
        Policy p = generate(b.toArray(String[]::new)).policy();
        for (String path : paths(p)) {
            assertFalse(
                    path.equals("/*") || path.equals("/**") || path.startsWith("/tmp/*") && !path.contains("cache"),
                    path);
        }
    }

    @Test
    void outputParsesBackToTheSamePolicyWithEvidenceAndDenyDefaults() throws Exception {
        PolicyGenerator.Generated g = generate(
                file("read", "/app/lib/app.jar"),
                file("write", "/tmp/upload-8812.tmp"),
                connect("db.internal", "10.0.0.5", 5432),
                exec("/usr/bin/git", "git", "status"));
        String yaml = g.toYaml();
        Policy parsed = PolicyParser.parse(yaml, "generated");
        assertEquals(g.policy(), parsed);
        assertTrue(yaml.contains("# observed 1 time by 1 replica in 1 run, first 2026-11-23T17:01:00.000Z"), yaml);
        assertTrue(yaml.contains("generalized from 1 behavior, e.g. /tmp/upload-8812.tmp"), yaml);
        for (Category c : Category.values())
            assertEquals(dev.inlay.policy.Action.DENY, parsed.explicitDefaults().get(c));
        assertEquals(Mode.ENFORCE, parsed.mode());
        PolicyEngine engine = PolicyEngine.compile(parsed);
        assertFalse(engine.file(Operation.WRITE, "/tmp/upload-77.tmp").action().blocks());
        assertTrue(engine.file(Operation.WRITE, "/tmp/other.tmp").action().blocks());
        assertFalse(engine.network(Operation.CONNECT, false, "db.internal", InetAddress.getByName("10.0.0.5"), 5432)
                .action()
                .blocks());
        assertTrue(engine.network(Operation.CONNECT, false, "evil.example", InetAddress.getByName("10.6.6.6"), 5432)
                .action()
                .blocks());
        assertFalse(engine.process(List.of("/usr/bin/git", "status")).action().blocks());
        assertTrue(engine.process(List.of("/usr/bin/git", "push")).action().blocks());
    }

    @Test
    void idsAreStableAndASmallChangeGivesASmallDiff() throws IOException {
        String[] base = {
            file("read", "/app/lib/app.jar"),
            file("read", "/app/lib/dep.jar"),
            file("read", "/app/conf/app.yml"),
            connect("db.internal", "10.0.0.5", 5432),
            exec("/usr/bin/git", "git", "status")
        };
        String before = generate(base).toYaml();
        assertEquals(before, generate(base).toYaml());
        String[] more = java.util.Arrays.copyOf(base, base.length + 1);
        more[base.length] = file("read", "/app/conf/extra.yml");
        String after = generate(more).toYaml();
        List<String> removedLines = new ArrayList<>(before.lines().toList());
        removedLines.removeAll(after.lines().toList());
        // only the header (distinct behavior count) changes among existing lines
        assertTrue(removedLines.stream().allMatch(l -> l.startsWith("# Generated by")), removedLines.toString());
        assertTrue(after.contains("id: \"file-app-conf-extra-yml\""), after);
    }

    @Test
    void collidingIdsGetAHashSuffix() throws IOException {
        Policy p = generate(file("read", "/a/b-c"), file("read", "/a/b/c")).policy();
        List<String> ids = p.rules().stream().map(Rule::id).toList();
        assertEquals(2, ids.size());
        assertNotEquals(ids.get(0), ids.get(1));
        assertTrue(ids.contains("file-a-b-c"), ids.toString());
        assertTrue(ids.stream().anyMatch(id -> id.matches("file-a-b-c-[0-9a-f]{6}")), ids.toString());
    }

    // --- issue 17: a learned name never widens the policy ----------------------------------------------------

    static final String T = "2026-11-23T17:01:00.000Z";

    /** The generated policy (parsed back from its YAML, as inlay wrap would read it) compiled by the real engine. */
    static PolicyEngine enforced(PolicyGenerator.Generated g) throws Exception {
        return PolicyEngine.compile(PolicyParser.parse(g.toYaml(), "generated"));
    }

    static void noBroadOrSecret(PolicyGenerator.Generated g) throws Exception {
        List<PolicyLinter.Finding> findings = PolicyLinter.lint(PolicyParser.parse(g.toYaml(), "generated")).stream()
                .filter(f -> f.kind() == PolicyLinter.Kind.BROAD || f.kind() == PolicyLinter.Kind.SECRET)
                .toList();
        assertEquals(List.of(), findings, g.toYaml());
    }

    @Test
    void aFailedOpenOfEtcStarDoesNotAllowEtcShadow() throws Exception {
        PolicyGenerator.Generated g = generate(file("read", "/etc/*"), file("read", "/etc/hosts"));
        PolicyEngine e = enforced(g);
        assertTrue(e.file(Operation.READ, "/etc/shadow").action().blocks(), g.toYaml());
        assertTrue(e.file(Operation.READ, "/etc/passwd").action().blocks(), g.toYaml());
        assertFalse(
                e.file(Operation.READ, "/etc/*").action().blocks(),
                "the learned name itself stays allowed: " + g.toYaml());
        assertFalse(e.file(Operation.READ, "/etc/hosts").action().blocks());
        assertTrue(paths(g.policy()).contains("/etc/\\*"), paths(g.policy()).toString());
        assertTrue(g.toYaml().contains("REVIEW: a learned name holds '*'"), g.toYaml());
        assertEquals(1, g.warnings().size(), g.warnings().toString());
        assertTrue(
                g.warnings().get(0).contains("/etc/*") && g.warnings().get(0).contains("never a wildcard"),
                g.warnings().toString());
        noBroadOrSecret(g);
    }

    @Test
    void aLearnedSlashStarStarDoesNotAllowEverything() throws Exception {
        PolicyGenerator.Generated g = generate(file("read", "/**"), file("write", "/app/**"), file("read", "/tmp/**"));
        PolicyEngine e = enforced(g);
        for (String path : List.of("/etc/shadow", "/app/conf.yml", "/tmp/x", "/")) {
            assertTrue(e.file(Operation.READ, path).action().blocks(), path + "\n" + g.toYaml());
        }
        assertTrue(e.file(Operation.WRITE, "/app/lib/a.jar").action().blocks(), g.toYaml());
        assertFalse(e.file(Operation.READ, "/**").action().blocks(), g.toYaml());
        noBroadOrSecret(g);
    }

    @Test
    void aLearnedRootSshStarIsKeptOutAndDoesNotAllowKeys() throws Exception {
        PolicyGenerator.Generated g = generate(file("read", "/root/.ssh/*"), file("read", "/app/conf.yml"));
        PolicyEngine e = enforced(g);
        assertTrue(e.file(Operation.READ, "/root/.ssh/id_rsa").action().blocks(), g.toYaml());
        assertTrue(
                e.file(Operation.READ, "/root/.ssh/*").action().blocks(),
                "under /root: secret, kept out: " + g.toYaml());
        assertEquals(List.of("/app/conf.yml"), paths(g.policy()));
        assertTrue(
                g.warnings().stream()
                        .anyMatch(w -> w.startsWith("kept out of the policy: file read [/root/.ssh/*]")
                                && w.contains("secret")),
                g.warnings().toString());
        assertTrue(g.toYaml().contains("# warning: kept out of the policy: file read [/root/.ssh/*]"), g.toYaml());
        noBroadOrSecret(g);
    }

    @Test
    void aLearnedDnsWildcardAllowsOnlyThatName() throws Exception {
        PolicyGenerator.Generated g = generate(
                behavior("dns", "resolve", "*.evil.example", 1, T, T),
                connect("*.evil.example", "127.0.0.9", 443),
                behavior("jndi", "lookup", "ldap://*.evil.example:389/x", 1, T, T));
        PolicyEngine e = enforced(g);
        assertTrue(e.dns("exfil.evil.example").action().blocks(), g.toYaml());
        assertFalse(e.dns("*.evil.example").action().blocks(), g.toYaml());
        assertTrue(
                e.network(Operation.CONNECT, false, "exfil.evil.example", null, 443)
                        .action()
                        .blocks(),
                g.toYaml());
        assertTrue(e.jndi("ldap://exfil.evil.example:389/x").action().blocks(), g.toYaml());
        assertEquals(3, g.warnings().size(), g.warnings().toString());
        noBroadOrSecret(g);
    }

    @Test
    void aLearnedExecutableStarDoesNotAllowEveryProgram() throws Exception {
        PolicyGenerator.Generated g =
                generate(exec("/usr/bin/*", "*"), exec("/usr/bin/sha256sum", "sha256sum", "/app/a"));
        PolicyEngine e = enforced(g);
        assertTrue(e.process(List.of("/usr/bin/id")).action().blocks(), g.toYaml());
        assertTrue(e.process(List.of("/usr/bin/sh", "-c", "id")).action().blocks(), g.toYaml());
        assertFalse(e.process(List.of("/usr/bin/*")).action().blocks(), g.toYaml());
        noBroadOrSecret(g);
    }

    @Test
    void learnedStarStarArgumentsDoNotAllowAnyArguments() throws Exception {
        PolicyGenerator.Generated g = generate(
                exec("/usr/bin/cat", "cat", "**"),
                exec("/usr/bin/sha256sum", "sha256sum", "/etc/*"),
                exec("/usr/bin/ls", "ls", "*"));
        PolicyEngine e = enforced(g);
        assertTrue(e.process(List.of("/usr/bin/cat", "/etc/shadow")).action().blocks(), g.toYaml());
        assertTrue(
                e.process(List.of("/usr/bin/cat", "/etc/shadow", "/root/.ssh/id_rsa"))
                        .action()
                        .blocks(),
                g.toYaml());
        assertTrue(
                e.process(List.of("/usr/bin/sha256sum", "/etc/shadow")).action().blocks(), g.toYaml());
        assertTrue(e.process(List.of("/usr/bin/ls", "/root")).action().blocks(), g.toYaml());
        assertFalse(e.process(List.of("/usr/bin/cat", "**")).action().blocks(), g.toYaml());
        noBroadOrSecret(g);
    }

    @Test
    void learnedStarStarClassesDoNotAllowEveryClass() throws Exception {
        PolicyGenerator.Generated g = generate(
                behavior("deserialization", "deserialize", "**", 1, T, T),
                behavior("deserialization", "deserialize", "java.util.*", 1, T, T),
                "{\"category\":\"classdef\",\"operation\":\"define\",\"resource\":\"**\",\"loaders\":[\"**\"],"
                        + "\"count\":1,\"first\":\"" + T + "\",\"last\":\"" + T + "\"}");
        PolicyEngine e = enforced(g);
        assertTrue(
                e.deserialization("org.apache.commons.collections.functors.InvokerTransformer")
                        .action()
                        .blocks(),
                g.toYaml());
        assertTrue(e.deserialization("java.util.HashMap").action().blocks(), g.toYaml());
        assertFalse(e.deserialization("**").action().blocks(), g.toYaml());
        assertTrue(e.classDefinition("Exploit", "com.evil.Loader").action().blocks(), g.toYaml());
        noBroadOrSecret(g);
    }

    @Test
    void learnedBackslashesStayLiteral() throws Exception {
        // JSON "\\\\" is one backslash: a file named 'a\*b' must not become a pattern or an invalid value
        PolicyGenerator.Generated g = generate(file("read", "/app/a\\\\*b"), file("read", "/app/c\\\\d"));
        PolicyEngine e = enforced(g);
        assertFalse(e.file(Operation.READ, "/app/a\\*b").action().blocks(), g.toYaml());
        assertFalse(e.file(Operation.READ, "/app/c\\d").action().blocks(), g.toYaml());
        assertTrue(e.file(Operation.READ, "/app/a\\xb").action().blocks(), g.toYaml());
        assertTrue(e.file(Operation.READ, "/app/ab").action().blocks(), g.toYaml());
    }

    @Test
    void namesWithPatternCharactersNeverJoinACollapse() throws Exception {
        List<String> b = new ArrayList<>();
        for (int i = 0; i < 8; i++) b.add(file("read", "/app/static/page" + i + ".html"));
        b.add(file("read", "/app/static/*"));
        for (int i = 0; i < 8; i++) b.add(behavior("dns", "resolve", "n" + i + ".cdn.example.com", 1, T, T));
        b.add(behavior("dns", "resolve", "*.cdn.example.com", 1, T, T));
        PolicyGenerator.Generated g = generate(b.toArray(String[]::new));
        assertTrue(paths(g.policy()).contains("/app/static/*"), "the generator's own collapse: " + paths(g.policy()));
        assertTrue(
                paths(g.policy()).contains("/app/static/\\*"), paths(g.policy()).toString());
        assertEquals(2, g.warnings().size(), g.warnings().toString());
    }

    @Test
    void theGeneratorNeverEmitsWhatLintCallsBroadOrSecret() throws Exception {
        List<String> b = new ArrayList<>();
        // secrets the application really read: kept out, each with its reason
        for (String secret : List.of(
                "/etc/shadow",
                "/run/secrets/db-password",
                "/var/run/secrets/kubernetes.io/serviceaccount/token",
                "/root/.aws/credentials",
                "/home/app/.ssh/id_ed25519",
                "/proc/self/environ")) {
            b.add(file("read", secret));
        }
        // generalizations lint objects to: written exactly as learned instead
        for (int i = 0; i < 8; i++) b.add(behavior("dns", "resolve", "bucket" + i + ".s3.amazonaws.com", 1, T, T));
        for (int i = 0; i < 8; i++) b.add(behavior("dns", "resolve", "b" + i + ".blob.core.windows.net", 1, T, T));
        for (int i = 0; i < 8; i++) b.add(file("write", "/var/lib/upload-" + i + ".bin"));
        b.add(file("write", "/var/lib/state-123456.db"));
        b.add(file("exec", "/app/run/job-123456.sh"));
        b.add(file("read", "/12/x"));
        b.add(connect(null, "", 443)); // a connect with no destination would be "any destination"
        b.add(file("read", "/app/conf.yml"));
        PolicyGenerator.Generated g = generate(b.toArray(String[]::new));
        noBroadOrSecret(g);
        PolicyEngine e = enforced(g);
        for (String secret : List.of(
                "/etc/shadow",
                "/run/secrets/db-password",
                "/root/.aws/credentials",
                "/var/run/secrets/kubernetes.io/serviceaccount/token",
                "/home/app/.ssh/id_ed25519",
                "/proc/self/environ")) {
            assertTrue(e.file(Operation.READ, secret).action().blocks(), secret + "\n" + g.toYaml());
            assertTrue(
                    g.warnings().stream().anyMatch(w -> w.contains("kept out") && w.contains(secret)),
                    secret + ": " + g.warnings());
        }
        assertTrue(e.dns("attacker.s3.amazonaws.com").action().blocks(), g.toYaml());
        assertFalse(e.dns("bucket3.s3.amazonaws.com").action().blocks(), g.toYaml());
        assertTrue(e.dns("attacker.blob.core.windows.net").action().blocks(), g.toYaml());
        assertTrue(e.file(Operation.WRITE, "/var/lib/dpkg/status").action().blocks(), g.toYaml());
        assertTrue(e.file(Operation.WRITE, "/var/lib/upload-x.bin").action().blocks(), g.toYaml());
        assertFalse(e.file(Operation.WRITE, "/var/lib/upload-3.bin").action().blocks(), g.toYaml());
        assertFalse(e.file(Operation.WRITE, "/var/lib/state-123456.db").action().blocks(), g.toYaml());
        assertTrue(e.file(Operation.EXEC, "/app/run/job-999999.sh").action().blocks(), g.toYaml());
        assertFalse(e.file(Operation.EXEC, "/app/run/job-123456.sh").action().blocks(), g.toYaml());
        assertTrue(e.file(Operation.READ, "/13/x").action().blocks(), g.toYaml());
        assertTrue(
                e.network(Operation.CONNECT, false, null, InetAddress.getByName("192.0.2.1"), 443)
                        .action()
                        .blocks(),
                g.toYaml());
        assertFalse(e.file(Operation.READ, "/app/conf.yml").action().blocks());
    }

    /** Only the agent's summary flag makes a '*' a pattern: the same names learned as names stay literals. */
    @Test
    void aLearnedNameThatLooksLikeASummaryStaysLiteral() throws Exception {
        PolicyGenerator.Generated g = generate(file("read", "/srv/data/d0/*"), file("write", "/srv/data/out/**"));
        PolicyEngine engine = PolicyEngine.compile(g.policy());
        assertEquals(
                dev.inlay.policy.Action.DENY,
                engine.file(Operation.READ, "/srv/data/d0/f123.txt").action(),
                g.toYaml());
        assertEquals(
                dev.inlay.policy.Action.DENY,
                engine.file(Operation.WRITE, "/srv/data/out/a/b/c").action(),
                g.toYaml());
        assertEquals(
                dev.inlay.policy.Action.ALLOW,
                engine.file(Operation.READ, "/srv/data/d0/*").action(),
                g.toYaml());
    }

    /** Directories the agent summarized (docs/PROFILE.md) stay patterns, within the collapse rules. */
    @Test
    void summariesFromTheAgentBecomeRulesOnlyWhereCollapsingIsAllowed() throws IOException {
        PolicyGenerator.Generated g = generate(
                summary("read", "/srv/data/d0/*"),
                summary("write", "/srv/data/out/**"),
                summary("read", "/etc/*"),
                summary("write", "/usr/local/lib/app/*"));
        Policy p = g.policy();
        assertTrue(paths(p).contains("/srv/data/d0/*"), paths(p).toString());
        assertTrue(paths(p).contains("/srv/data/out/**"), "a summarized tree stays a tree: " + paths(p));
        assertFalse(paths(p).contains("/etc/*"), paths(p).toString());
        assertFalse(paths(p).stream().anyMatch(x -> x.startsWith("/usr/local")), paths(p).toString());
        PolicyEngine engine = PolicyEngine.compile(p);
        assertEquals(
                dev.inlay.policy.Action.ALLOW,
                engine.file(Operation.READ, "/srv/data/d0/f123.txt").action());
        assertEquals(
                dev.inlay.policy.Action.ALLOW,
                engine.file(Operation.WRITE, "/srv/data/out/a/b/c").action());
        assertEquals(
                dev.inlay.policy.Action.DENY,
                engine.file(Operation.READ, "/etc/shadow").action());
        assertTrue(
                g.header().stream().anyMatch(h -> h.contains("/etc/*") && h.contains("not allowed")),
                g.header().toString());
    }
}
