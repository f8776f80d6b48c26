package dev.inlay.policy.engine;

import dev.inlay.policy.Action;
import dev.inlay.policy.Category;
import dev.inlay.policy.Operation;
import dev.inlay.policy.Policy;
import dev.inlay.policy.PolicyParser;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

import static dev.inlay.policy.Operation.ACCEPT;
import static dev.inlay.policy.Operation.ATTACH;
import static dev.inlay.policy.Operation.CONNECT;
import static dev.inlay.policy.Operation.INSTRUMENT;
import static dev.inlay.policy.Operation.LIST;
import static dev.inlay.policy.Operation.LISTEN;
import static dev.inlay.policy.Operation.READ;
import static dev.inlay.policy.Operation.REFLECT;
import static dev.inlay.policy.Operation.UNSAFE;
import static dev.inlay.policy.Operation.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyEngineTest {
    static final PolicyEngine EXAMPLE;

    static {
        try {
            EXAMPLE = PolicyEngine.compile(PolicyParser.parse(Path.of("../docs/examples/policy.yaml")));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static PolicyEngine engine(String spec) throws Exception {
        return PolicyEngine.compile(PolicyParser.parse(
                "apiVersion: inlay.dev/v1\nkind: Policy\nmetadata: {name: t}\nspec:\n" + spec, "t.yaml"));
    }

    static void expect(Decision d, Action action, String rule) {
        assertEquals(action, d.action(), d.toString());
        assertEquals(rule, d.ruleId(), d.toString());
    }

    static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // literals only: never resolves
    }

    @Test
    void filePatterns() {
        expect(EXAMPLE.file(READ, "/app/lib/x.jar"), Action.ALLOW, "app");
        expect(EXAMPLE.file(LIST, "/app"), Action.ALLOW, "app"); // '/dir/**' covers the directory itself
        expect(EXAMPLE.file(WRITE, "/app/lib/x.jar"), Action.DENY, "default/files"); // operation not covered
        expect(EXAMPLE.file(WRITE, "/tmp/upload-8812.tmp"), Action.ALLOW, "uploads");
        expect(EXAMPLE.file(WRITE, "/tmp/upload-.tmp"), Action.ALLOW, "uploads");
        expect(EXAMPLE.file(WRITE, "/tmp/upload-1/x.tmp"), Action.DENY, "default/files"); // '*' stays in its segment
        expect(EXAMPLE.file(WRITE, "/tmp/upload-8812.tmpx"), Action.DENY, "default/files");
        expect(EXAMPLE.file(READ, "/application"), Action.DENY, "default/files"); // no prefix matching
    }

    @Test
    void pathsAreNormalizedBeforeMatching() {
        expect(EXAMPLE.file(READ, "/app/../etc/passwd"), Action.DENY, "default/files");
        expect(EXAMPLE.file(READ, "/app/lib/../../etc/passwd"), Action.DENY, "default/files");
        expect(EXAMPLE.file(READ, "//app///lib/./x.jar"), Action.ALLOW, "app");
        expect(EXAMPLE.file(READ, "/app/lib/"), Action.ALLOW, "app");
        expect(EXAMPLE.file(READ, "/../../app/x"), Action.ALLOW, "app");
        expect(EXAMPLE.file(READ, "app/x"), Action.DENY, "default/files"); // relative: never matches absolute rules
        assertEquals("/etc/passwd", Paths.normalize("/app/../etc/passwd"));
        assertEquals("/", Paths.normalize("/.."));
        String normal = "/app/lib/x.jar";
        assertSame(normal, Paths.normalize(normal));
    }

    @Test
    void denyBeatsAllowWhateverTheOrder() throws Exception {
        expect(EXAMPLE.file(READ, "/app/secrets/db.pw"), Action.DENY, "no-secrets");
        PolicyEngine e = engine(
                "  files:\n    - {id: deny-first, action: deny, paths: [\"/a/b\"]}\n    - {id: allow, paths: [\"/a/**\"]}\n"
                        + "    - {id: alert, action: alert, paths: [\"/a/*\"]}\n    - {id: allow2, paths: [\"/a/c\"]}\n");
        expect(e.file(READ, "/a/b"), Action.DENY, "deny-first");
        expect(e.file(READ, "/a/c"), Action.ALERT, "alert"); // alert is more severe than allow
        expect(e.file(READ, "/a/c/d"), Action.ALLOW, "allow");
        PolicyEngine twoAllows =
                engine("  files:\n    - {id: second, paths: [\"/a/**\"]}\n    - {id: first, paths: [\"/a/b\"]}\n");
        expect(twoAllows.file(READ, "/a/b"), Action.ALLOW, "second"); // ties: the first in the document
    }

    @Test
    void nonAsciiAndRootPaths() throws Exception {
        PolicyEngine e = engine(
                "  files:\n    - {id: u, paths: [\"/données/日本/*.txt\"]}\n    - {id: root, operations: [list], paths: [\"/\"]}\n");
        expect(e.file(READ, "/données/日本/résumé.txt"), Action.ALLOW, "u");
        expect(e.file(READ, "/donnees/日本/résumé.txt"), Action.DENY, "default/files");
        expect(e.file(LIST, "/"), Action.ALLOW, "root");
        expect(e.file(LIST, "/x"), Action.DENY, "default/files");
    }

    @Test
    void networkHostsCidrsPortsProtocols() throws Exception {
        expect(EXAMPLE.network(CONNECT, false, "db.internal", ip("10.20.1.2"), 5432), Action.ALLOW, "database");
        expect(EXAMPLE.network(CONNECT, false, "DB.Internal.", null, 5432), Action.ALLOW, "database");
        expect(EXAMPLE.network(CONNECT, false, null, ip("10.20.255.255"), 5432), Action.ALLOW, "database");
        expect(EXAMPLE.network(CONNECT, false, null, ip("10.21.0.0"), 5432), Action.DENY, "default/network");
        expect(EXAMPLE.network(CONNECT, false, null, ip("10.19.255.255"), 5432), Action.DENY, "default/network");
        expect(EXAMPLE.network(CONNECT, false, "db.internal", null, 5433), Action.DENY, "default/network");
        expect(EXAMPLE.network(CONNECT, false, null, ip("fd00:20:ffff::1"), 5432), Action.ALLOW, "database");
        expect(EXAMPLE.network(CONNECT, false, null, ip("fd00:21::1"), 5432), Action.DENY, "default/network");
        expect(EXAMPLE.network(CONNECT, false, "api.partner.example.com", null, 443), Action.ALLOW, "partner-api");
        expect(EXAMPLE.network(CONNECT, false, "a.b.partner.example.com", null, 8445), Action.ALLOW, "partner-api");
        expect(EXAMPLE.network(CONNECT, false, "a.b.partner.example.com", null, 8446), Action.DENY, "default/network");
        expect(
                EXAMPLE.network(CONNECT, false, "partner.example.com", null, 443),
                Action.DENY,
                "default/network"); // not the apex
        expect(EXAMPLE.network(CONNECT, false, "evilpartner.example.com", null, 443), Action.DENY, "default/network");
        expect(EXAMPLE.network(CONNECT, true, null, ip("10.0.0.2"), 53), Action.ALLOW, "dns-udp");
        expect(EXAMPLE.network(CONNECT, false, null, ip("10.0.0.2"), 53), Action.DENY, "default/network"); // tcp
        expect(EXAMPLE.network(LISTEN, false, null, null, 8080), Action.ALLOW, "http-listen");
        expect(EXAMPLE.network(ACCEPT, false, null, ip("203.0.113.9"), 8080), Action.ALLOW, "http-listen");
        expect(EXAMPLE.network(LISTEN, false, null, null, 8081), Action.DENY, "default/network");
        expect(EXAMPLE.network(CONNECT, false, null, null, 8080), Action.DENY, "default/network"); // listen rule only
    }

    @Test
    void ipv4MappedIpv6MatchesIpv4Rules() throws Exception {
        InetAddress mapped = java.net.Inet6Address.getByAddress(
                null, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 20, 3, 4}, null);
        assertTrue(mapped instanceof java.net.Inet6Address);
        expect(EXAMPLE.network(CONNECT, false, null, mapped, 5432), Action.ALLOW, "database");
        PolicyEngine e = engine("  network:\n    - {id: mapped, cidrs: [\"::ffff:192.168.0.0/112\"]}\n");
        expect(e.network(CONNECT, false, null, ip("192.168.7.7"), 1), Action.ALLOW, "mapped");
        expect(e.network(CONNECT, false, null, ip("192.169.0.1"), 1), Action.DENY, "default/network");
    }

    @Test
    void cidrEdges() throws Exception {
        PolicyEngine e = engine("  network:\n    - {id: all4, action: alert, cidrs: [\"0.0.0.0/0\"]}\n"
                + "    - {id: one, cidrs: [\"192.0.2.1/32\"]}\n    - {id: v6all, action: alert, cidrs: [\"::/0\"]}\n"
                + "    - {id: top, cidrs: [\"255.255.255.255\"]}\n");
        expect(e.network(CONNECT, false, null, ip("192.0.2.1"), 1), Action.ALERT, "all4");
        expect(e.network(CONNECT, false, null, ip("2001:db8::1"), 1), Action.ALERT, "v6all");
        PolicyEngine f = engine(
                "  network:\n    - {id: one, cidrs: [\"192.0.2.1/32\"]}\n    - {id: top, cidrs: [\"255.255.255.255\"]}\n"
                        + "    - {id: half, cidrs: [\"128.0.0.0/1\"]}\n");
        expect(f.network(CONNECT, false, null, ip("192.0.2.1"), 1), Action.ALLOW, "one");
        expect(f.network(CONNECT, false, null, ip("255.255.255.255"), 1), Action.ALLOW, "top");
        expect(f.network(CONNECT, false, null, ip("128.0.0.0"), 1), Action.ALLOW, "half");
        expect(f.network(CONNECT, false, null, ip("127.255.255.255"), 1), Action.DENY, "default/network");
    }

    @Test
    void dnsProcessesNativeJndiDeserializationClassesDrift() {
        expect(EXAMPLE.dns("db.internal"), Action.ALLOW, "names");
        expect(EXAMPLE.dns("x.partner.example.com"), Action.ALLOW, "names");
        expect(EXAMPLE.dns("evil.example.org"), Action.ALERT, "default/dns");

        expect(EXAMPLE.process(List.of("/usr/bin/sha256sum", "/app/data/a.pdf")), Action.ALLOW, "checksum");
        expect(EXAMPLE.process(List.of("/usr/bin/sha256sum", "/etc/shadow")), Action.DENY, "default/processes");
        // Path-like argument patterns match like paths: normalized, '*' within one segment.
        expect(
                EXAMPLE.process(List.of("/usr/bin/sha256sum", "/app/data/../../etc/shadow")),
                Action.DENY,
                "default/processes");
        expect(EXAMPLE.process(List.of("/usr/bin/sha256sum", "/app/data/a/b.pdf")), Action.DENY, "default/processes");
        expect(EXAMPLE.process(List.of("/usr/bin/sha256sum", "/app/data//x.pdf")), Action.ALLOW, "checksum");
        expect(EXAMPLE.process(List.of("/usr/bin/sha256sum", "app/data/x.pdf")), Action.DENY, "default/processes");
        expect(
                EXAMPLE.process(List.of("/usr/bin/sha256sum", "/app/data/a.pdf", "x")),
                Action.DENY,
                "default/processes");
        expect(EXAMPLE.process(List.of("/usr/bin/sha256sum")), Action.DENY, "default/processes");
        expect(EXAMPLE.process(List.of("/usr/bin/git", "status")), Action.ALLOW, "git-any");
        expect(EXAMPLE.process(List.of("/usr/bin/git", "status", "-s", "--porcelain")), Action.ALLOW, "git-any");
        expect(EXAMPLE.process(List.of("/usr/bin/git", "push")), Action.DENY, "default/processes");
        expect(EXAMPLE.process(List.of("/bin/sh", "-c", "id")), Action.DENY, "default/processes");
        expect(EXAMPLE.process(List.of("/usr/bin/../bin/git", "status")), Action.ALLOW, "git-any");
        expect(EXAMPLE.process(List.of("/usr/bin/id")), Action.ALLOW, "id-bare");
        expect(EXAMPLE.process(List.of("/usr/bin/id", "-u")), Action.DENY, "default/processes");
        expect(EXAMPLE.process(List.of("/usr/bin/env", "-i", "sh")), Action.ALERT, "env-any");

        expect(EXAMPLE.nativeLibrary("/tmp/libnetty_transport_native_epoll_x86_64123.so"), Action.ALLOW, "netty-epoll");
        expect(EXAMPLE.nativeLibrary("/tmp/evil.so"), Action.DENY, "default/nativeLibraries");

        expect(EXAMPLE.jndi("java:comp/env/jdbc/ds"), Action.ALLOW, "container-env");
        expect(EXAMPLE.jndi("ldaps://ldap.corp.example.com:636/dc=corp"), Action.ALLOW, "corp-ldap");
        expect(EXAMPLE.jndi("ldap://ldap.corp.example.com/dc=corp"), Action.KILL, "default/jndi");
        expect(EXAMPLE.jndi("ldap://127.0.0.1:1389/Exploit"), Action.KILL, "default/jndi");
        expect(EXAMPLE.jndi("LDAPS://user@LDAP.corp.example.com/x"), Action.ALLOW, "corp-ldap");

        expect(EXAMPLE.deserialization("java.util.HashMap"), Action.ALLOW, "jdk-values");
        expect(EXAMPLE.deserialization("java.util.HashMap$Node"), Action.ALLOW, "jdk-values");
        expect(
                EXAMPLE.deserialization("java.util.concurrent.ConcurrentHashMap"),
                Action.DENY,
                "default/deserialization");
        expect(EXAMPLE.deserialization("java.time.chrono.HijrahDate"), Action.ALLOW, "jdk-values");
        expect(EXAMPLE.deserialization("com.example.docs.model.Doc"), Action.ALLOW, "app-model");
        expect(
                EXAMPLE.deserialization("org.apache.commons.collections.functors.InvokerTransformer"),
                Action.DENY,
                "default/deserialization");

        expect(
                EXAMPLE.classDefinition(
                        "com.example.Foo$$EnhancerBySpringCGLIB", "org.springframework.core.SmartClassLoader"),
                Action.ALLOW,
                "proxies");
        expect(EXAMPLE.classDefinition("com.example.Foo", "com.evil.Loader"), Action.ALERT, "default/classDefinition");
        expect(EXAMPLE.classDefinition("Exploit", null), Action.ALERT, "default/classDefinition");

        expect(EXAMPLE.drift("/app/run/start.sh"), Action.ALLOW, "generated-scripts");
        expect(EXAMPLE.drift("/tmp/x"), Action.DENY, "default/drift");

        // Capabilities: by the caller's code source, the operation and the class concerned; omitted default: deny.
        expect(
                EXAMPLE.capability(UNSAFE, "/app/lib/netty-common-4.1.100.jar", "sun.misc.Unsafe"),
                Action.ALLOW,
                "netty-unsafe");
        expect(
                EXAMPLE.capability(REFLECT, "/app/lib/netty-common-4.1.100.jar", "java.nio.Buffer"),
                Action.ALLOW,
                "netty-unsafe");
        expect(EXAMPLE.capability(UNSAFE, "/app/lib/evil.jar", "sun.misc.Unsafe"), Action.DENY, "default/capabilities");
        expect(
                EXAMPLE.capability(UNSAFE, "/app/lib/netty-common-4.1.100.jar/../evil.jar", "sun.misc.Unsafe"),
                Action.DENY,
                "default/capabilities"); // normalized first
        expect(
                EXAMPLE.capability(UNSAFE, "", "sun.misc.Unsafe"),
                Action.DENY,
                "default/capabilities"); // no code source
        expect(
                EXAMPLE.capability(ATTACH, "/app/lib/netty-common-4.1.100.jar", "com.sun.tools.attach.VirtualMachine"),
                Action.DENY,
                "default/capabilities"); // operation not covered
        expect(EXAMPLE.capability(INSTRUMENT, "/opt/apm/agent.jar", "com.example.Service"), Action.ALLOW, "apm-agent");
        expect(
                EXAMPLE.capability(INSTRUMENT, "/opt/apm/agent.jar", "java.io.FileInputStream"),
                Action.DENY,
                "default/capabilities"); // not among its classes
    }

    /** An escaped '*' is the character, in every matcher: a learned name never acts as a wildcard (issue 17). */
    @Test
    void escapedStarsAndBackslashesAreLiteralEverywhere() throws Exception {
        PolicyEngine e =
                engine("  files:\n    - {id: star, paths: ['/etc/\\*', '/\\*\\*', '/root/.ssh/\\*', '/a\\\\b']}\n"
                        + "    - {id: mixed, paths: ['/tmp/a-*-\\*.txt', '/tmp/\\*x*', '/var/*\\**']}\n"
                        + "  nativeLibraries:\n    - {id: lib, paths: ['/opt/\\*.so']}\n"
                        + "  drift:\n    - {id: drift, paths: ['/app/\\*']}\n"
                        + "  network:\n    - {id: net, hosts: ['\\*.evil.example']}\n"
                        + "  dns:\n    - {id: dns, names: ['\\*.evil.example']}\n"
                        + "  processes:\n    - {id: bin, executables: ['/usr/bin/\\*']}\n"
                        + "    - {id: args, executables: [/usr/bin/cat], args: ['\\*\\*']}\n"
                        + "    - {id: path-arg, executables: [/usr/bin/sha256sum], args: ['/etc/\\*']}\n"
                        + "  jndi:\n    - {id: jndi, schemes: [ldap], hosts: ['\\*.evil.example']}\n"
                        + "  deserialization:\n    - {id: classes, classes: ['\\*\\*', 'com.\\*']}\n"
                        + "  classDefinition:\n    - {id: defs, classes: ['\\*\\*'], loaders: ['\\*\\*']}\n");
        expect(e.file(READ, "/etc/*"), Action.ALLOW, "star");
        expect(e.file(READ, "/etc/shadow"), Action.DENY, "default/files");
        expect(e.file(READ, "/**"), Action.ALLOW, "star");
        expect(e.file(READ, "/etc"), Action.DENY, "default/files");
        expect(e.file(READ, "/root/.ssh/id_rsa"), Action.DENY, "default/files");
        expect(e.file(READ, "/a\\b"), Action.ALLOW, "star");
        expect(e.file(READ, "/a\\\\b"), Action.DENY, "default/files");
        expect(e.file(READ, "/tmp/a-1-*.txt"), Action.ALLOW, "mixed");
        expect(e.file(READ, "/tmp/a-1-2.txt"), Action.DENY, "default/files");
        expect(e.file(READ, "/tmp/*xyz"), Action.ALLOW, "mixed"); // one '*': the prefix/suffix fast path
        expect(e.file(READ, "/tmp/axyz"), Action.DENY, "default/files");
        expect(e.file(READ, "/var/a*b"), Action.ALLOW, "mixed");
        expect(e.file(READ, "/var/ab"), Action.DENY, "default/files");
        expect(e.nativeLibrary("/opt/*.so"), Action.ALLOW, "lib");
        expect(e.nativeLibrary("/opt/evil.so"), Action.DENY, "default/nativeLibraries");
        expect(e.drift("/app/x"), Action.DENY, "default/drift");
        expect(e.network(CONNECT, false, "*.evil.example", null, 443), Action.ALLOW, "net");
        expect(e.network(CONNECT, false, "a.evil.example", null, 443), Action.DENY, "default/network");
        expect(e.dns("*.evil.example"), Action.ALLOW, "dns");
        expect(e.dns("a.evil.example"), Action.DENY, "default/dns");
        expect(e.process(List.of("/usr/bin/*")), Action.ALLOW, "bin");
        expect(e.process(List.of("/usr/bin/id")), Action.DENY, "default/processes");
        expect(e.process(List.of("/usr/bin/cat", "**")), Action.ALLOW, "args");
        expect(e.process(List.of("/usr/bin/cat", "/etc/shadow")), Action.DENY, "default/processes");
        expect(e.process(List.of("/usr/bin/cat", "a", "b")), Action.DENY, "default/processes");
        expect(e.process(List.of("/usr/bin/sha256sum", "/etc/shadow")), Action.DENY, "default/processes");
        expect(e.process(List.of("/usr/bin/sha256sum", "/etc/*")), Action.ALLOW, "path-arg");
        expect(e.jndi("ldap://*.evil.example/x"), Action.ALLOW, "jndi");
        expect(e.jndi("ldap://a.evil.example/x"), Action.DENY, "default/jndi");
        expect(e.deserialization("**"), Action.ALLOW, "classes");
        expect(e.deserialization("java.util.HashMap"), Action.DENY, "default/deserialization");
        expect(e.deserialization("com.Evil"), Action.DENY, "default/deserialization");
        expect(e.classDefinition("**", "**"), Action.ALLOW, "defs");
        expect(e.classDefinition("Exploit", "com.evil.Loader"), Action.DENY, "default/classDefinition");
    }

    @Test
    void tenThousandRules() throws Exception {
        StringBuilder spec = new StringBuilder("  files:\n");
        for (int i = 0; i < 5000; i++) {
            spec.append("    - {id: f")
                    .append(i)
                    .append(", operations: [read], paths: [\"/srv/app")
                    .append(i)
                    .append("/data/*.bin\"]}\n");
        }
        spec.append("  network:\n");
        for (int i = 0; i < 5000; i++) {
            spec.append("    - {id: n")
                    .append(i)
                    .append(", hosts: [\"h")
                    .append(i)
                    .append(".svc.cluster.local\"], cidrs: [\"10.")
                    .append(i / 256)
                    .append('.')
                    .append(i % 256)
                    .append(".0/24\"], ports: [\"")
                    .append(1000 + i)
                    .append("\"]}\n");
        }
        PolicyEngine e = engine(spec.toString());
        assertEquals(10_000, e.policy().rules().size());
        expect(e.file(READ, "/srv/app4999/data/x.bin"), Action.ALLOW, "f4999");
        expect(e.file(READ, "/srv/app0/data/x.bin"), Action.ALLOW, "f0");
        expect(e.file(WRITE, "/srv/app0/data/x.bin"), Action.DENY, "default/files");
        expect(e.file(READ, "/srv/app5000/data/x.bin"), Action.DENY, "default/files");
        expect(e.network(CONNECT, false, "h4321.svc.cluster.local", null, 5321), Action.ALLOW, "n4321");
        expect(e.network(CONNECT, false, "h4321.svc.cluster.local", null, 5322), Action.DENY, "default/network");
        expect(e.network(CONNECT, false, null, ip("10.16.232.77"), 5328), Action.ALLOW, "n4328");
        expect(e.network(CONNECT, false, null, ip("10.16.232.77"), 5329), Action.DENY, "default/network");
    }

    @Test
    void decidingIsThreadSafe() throws Exception {
        DecisionRuns.assertNoneWrongOnThreads(8, () -> {
            int wrong = 0;
            for (int i = 0; i < 20_000; i++) {
                if (EXAMPLE.file(READ, "/app/lib/x" + (i % 7) + ".jar").action() != Action.ALLOW) wrong++;
                if (EXAMPLE.file(READ, "/app/secrets/" + i).action() != Action.DENY) wrong++;
                if (EXAMPLE.dns("a" + (i % 5) + ".partner.example.com").action() != Action.ALLOW) wrong++;
            }
            return wrong;
        });
    }

    @Test
    void allowedDecisionsAllocateNothing() throws Exception {
        String path = "/app/lib/spring-core-6.1.jar";
        InetAddress db = ip("10.20.3.4");
        List<String> git = List.of("/usr/bin/git", "status", "-s");
        Runnable decisions = () -> {
            for (int i = 0; i < 100_000; i++) {
                if (EXAMPLE.file(READ, path).action() != Action.ALLOW
                        || EXAMPLE.network(CONNECT, false, "db.internal", db, 5432)
                                        .action()
                                != Action.ALLOW
                        || EXAMPLE.dns("api.partner.example.com").action() != Action.ALLOW
                        || EXAMPLE.deserialization("java.util.ArrayList").action() != Action.ALLOW
                        || EXAMPLE.process(git).action() != Action.ALLOW) {
                    throw new AssertionError("not allowed");
                }
            }
        };
        decisions.run(); // warm up: class loading and JIT
        assertAllocatesNothing(decisions);
    }

    /** Roots are resolved when the engine is compiled: deciding under them is the same literal matching. */
    @Test
    void allowedDecisionsUnderRootsAllocateNothing() throws Exception {
        PolicyEngine engine = PolicyEngine.compile(
                PolicyParser.parse("""
                apiVersion: inlay.dev/v1
                kind: Policy
                metadata: {name: t}
                spec:
                  files:
                    - {id: jdk, operations: [read], paths: ["${java.home}/**"]}
                    - {id: tmp, paths: ["${java.io.tmpdir}/app-*.tmp"]}
                  processes:
                    - {id: java, executables: ["${java.home}/bin/java"], args: ["-version"]}
                """, "t.yaml"),
                dev.inlay.policy.Roots.of("/opt/java/openjdk", "/app/app.jar", "/tmp", "/app"));
        List<String> java = List.of("/opt/java/openjdk/bin/java", "-version");
        Runnable decisions = () -> {
            for (int i = 0; i < 100_000; i++) {
                if (engine.file(READ, "/opt/java/openjdk/lib/modules").action() != Action.ALLOW
                        || engine.file(WRITE, "/tmp/app-1234.tmp").action() != Action.ALLOW
                        || engine.process(java).action() != Action.ALLOW) {
                    throw new AssertionError("not allowed");
                }
            }
        };
        decisions.run();
        assertAllocatesNothing(decisions);
    }

    private static void assertAllocatesNothing(Runnable decisions) {
        long allocated = DecisionRuns.bytesAllocatedBy(decisions);
        // 300,000 or more decisions: a single allocation per decision would be at least 4.8 MB.
        assertTrue(allocated < 4096, "allow path allocated " + allocated + " bytes for 100,000 rounds of decisions");
    }

    @Test
    void defaultsAndBlocking() throws Exception {
        Policy p =
                Policy.builder("d").defaultAction(Category.FILE, Action.ALLOW).build();
        PolicyEngine e = PolicyEngine.compile(p);
        Decision d = e.file(Operation.DELETE, "/anything");
        assertTrue(d.byDefault());
        expect(d, Action.ALLOW, "default/files");
        expect(e.dns("x"), Action.DENY, "default/dns");
        assertTrue(PolicyEngine.blocks(dev.inlay.policy.Mode.ENFORCE, e.dns("x")));
        assertFalse(PolicyEngine.blocks(dev.inlay.policy.Mode.MONITOR, e.dns("x")));
    }
}
