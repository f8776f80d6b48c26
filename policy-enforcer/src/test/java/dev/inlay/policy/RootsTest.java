package dev.inlay.policy;

import dev.inlay.policy.engine.PolicyEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RootsTest {
    @TempDir
    Path tmp;

    static Policy parse(String rules) throws PolicyException {
        return PolicyParser.parse(
                "apiVersion: inlay.dev/v1\nkind: Policy\nmetadata: {name: t}\nspec:\n  files:\n" + rules, "t.yaml");
    }

    @Test
    void theRootsAreThoseOfTheFirstCallNotOfPropertiesChangedLater() {
        Roots first = Roots.current();
        String tmp = System.getProperty("java.io.tmpdir");
        try {
            System.setProperty("java.io.tmpdir", "/");
            assertSame(first, Roots.current());
            assertFalse(
                    Roots.current().paths(Roots.TMPDIR).contains("/"),
                    Roots.current().paths(Roots.TMPDIR).toString());
        } finally {
            System.setProperty("java.io.tmpdir", tmp);
        }
    }

    @Test
    void rootsParseAtTheStartOfPaths() throws Exception {
        Policy p = parse("""
                    - id: jdk
                      operations: [read]
                      paths: ["${java.home}/**", "${app.classpath}", "${java.io.tmpdir}/app-*.tmp", "${user.dir}",
                              "/opt/${java.home}/x"]
                """);
        assertEquals(
                List.of(
                        "${java.home}/**",
                        "${app.classpath}",
                        "${java.io.tmpdir}/app-*.tmp",
                        "${user.dir}",
                        "/opt/${java.home}/x"),
                p.rules().get(0).values(Selector.PATHS));
        assertTrue(Roots.used(p));
    }

    @Test
    void unknownOrMalformedRootsAreErrorsWithTheirPosition() {
        PolicyException e = assertThrows(PolicyException.class, () -> parse("""
                    - id: jdk
                      paths: ["${java.hom}/lib/**"]
                """));
        assertTrue(e.getMessage().startsWith("t.yaml:7:"), e.getMessage());
        assertTrue(
                e.getMessage().contains("unknown root '${java.hom}' (did you mean '${java.home}'?)"), e.getMessage());
        for (String bad : List.of(
                "${java.home}lib",
                "${java.home",
                "${java.home}/",
                "${java.home}/../etc/passwd",
                "${java.home}//lib",
                "${java.home}/**/x",
                "${}")) {
            PolicyException b = assertThrows(
                    PolicyException.class, () -> parse("    - id: r\n      paths: ['" + bad + "']\n"), bad);
            assertTrue(b.getMessage().startsWith("t.yaml:7:"), b.getMessage());
        }
    }

    @Test
    void rootsResolveAsGivenAndCanonical() throws Exception {
        Path jdk = Files.createDirectories(tmp.resolve("jvm/jdk-17"));
        Path current = Files.createSymbolicLink(tmp.resolve("jvm/current"), jdk);
        Path work = Files.createDirectories(tmp.resolve("work"));
        Roots roots =
                Roots.of(current + "/", "app.jar:lib/dep.jar::" + tmp + "/classes", tmp + "/t//", work.toString());
        assertEquals(List.of(current.toString(), jdk.toRealPath().toString()), roots.paths(Roots.JAVA_HOME));
        assertEquals(
                List.of(work + "/app.jar", work + "/lib/dep.jar", tmp + "/classes"), roots.paths(Roots.APP_CLASSPATH));
        assertEquals(List.of(tmp + "/t"), roots.paths(Roots.TMPDIR));
        assertEquals(List.of(work.toString()), roots.paths(Roots.USER_DIR));
        assertEquals(List.of(), Roots.of(null, "", null, null).paths(Roots.JAVA_HOME));
    }

    /** Debian: /usr/lib/jvm/java-17-openjdk-amd64/conf -> /etc/java-17-openjdk. */
    @Test
    void aLinkOutOfTheRootIsFollowed() throws Exception {
        Path etc = Files.createDirectories(tmp.resolve("etc/java-17-openjdk/security"));
        Path home = Files.createDirectories(tmp.resolve("usr/lib/jvm/java-17-openjdk-amd64/lib"));
        home = home.getParent();
        Files.createSymbolicLink(home.resolve("conf"), etc.getParent());
        Roots roots = Roots.of(home.toString(), null, "/tmp", "/");
        Policy p = parse("""
                    - id: jdk-conf
                      operations: [read]
                      paths: ["${java.home}/conf/**"]
                    - id: jdk-lib
                      operations: [read]
                      paths: ["${java.home}/lib/*.so"]
                """);
        Policy literal = roots.expand(p);
        assertEquals(
                List.of(home + "/conf/**", etc.getParent() + "/**"),
                literal.rules().get(0).values(Selector.PATHS));
        assertEquals(List.of(home + "/lib/*.so"), literal.rules().get(1).values(Selector.PATHS));
        PolicyEngine engine = PolicyEngine.compile(p, roots);
        assertEquals(
                Action.ALLOW,
                engine.file(Operation.READ, home + "/conf/security/java.security")
                        .action());
        assertEquals(
                Action.ALLOW,
                engine.file(Operation.READ, etc + "/java.security").action());
        assertEquals(
                Action.ALLOW,
                engine.file(Operation.READ, home + "/lib/libnet.so").action());
        assertEquals(
                Action.DENY,
                engine.file(Operation.WRITE, etc + "/java.security").action());
        assertEquals(
                Action.DENY, engine.file(Operation.READ, tmp + "/etc/passwd").action());
        assertEquals(
                "jdk-conf", engine.file(Operation.READ, etc + "/java.security").ruleId());
        assertSame(p, engine.policy(), "the engine keeps the policy as written");
    }

    /**
     * Debian's newer packages: conf is a directory, each file in it a link into /etc/java-17-openjdk, and the JDK opens
     * some by their canonical path (sun.net.NetProperties). A ${java.home} pattern learned on a JDK without links
     * (Temurin, a jlink'd runtime) must still allow them where it reaches the link.
     */
    @Test
    void linksToFilesOutOfTheJdkAreFollowedWhereThePatternReachesThem() throws Exception {
        DebianHome made = debianHome();
        Path home = made.home();
        Path net = made.net();
        Path certs = made.certs();
        Path cacerts = made.cacerts();
        Path etc = net.getParent();
        Roots roots = Roots.of(home.toString(), null, "/tmp", "/");
        Policy p = parse("""
                    - id: jdk
                      operations: [read]
                      paths: ["${java.home}/**"]
                    - id: jdk-lib
                      operations: [read]
                      paths: ["${java.home}/lib/**"]
                    - id: jdk-conf-file
                      operations: [read]
                      paths: ["${java.home}/conf/*.properties"]
                """);
        Policy literal = roots.expand(p);
        assertEquals(
                List.of(home + "/**", net.toString(), certs.getParent() + "/**", cacerts.toString()),
                literal.rules().get(0).values(Selector.PATHS),
                "the dangling link and the one inside the JDK add nothing");
        assertEquals(
                List.of(home + "/lib/**", cacerts.toString()),
                literal.rules().get(1).values(Selector.PATHS));
        assertEquals(
                List.of(home + "/conf/*.properties", net.toString()),
                literal.rules().get(2).values(Selector.PATHS));
        PolicyEngine engine = PolicyEngine.compile(p, roots);
        assertEquals("jdk", engine.file(Operation.READ, net.toString()).ruleId());
        assertEquals(
                Action.ALLOW,
                engine.file(Operation.READ, certs.getParent() + "/java/cacerts").action());
        assertEquals(
                Action.DENY,
                engine.file(Operation.READ, etc + "/other.properties").action());
        assertEquals(Action.DENY, engine.file(Operation.WRITE, net.toString()).action());
        assertTrue(Roots.reaches("/conf/**", "/conf/net.properties"));
        assertFalse(Roots.reaches("/conf/**", "/conf"));
        assertFalse(Roots.reaches("/lib/*.so", "/lib/x/a.so"));
        assertTrue(Roots.reaches("/lib/*.so", "/lib/a.so"));
    }

    /** A JDK home laid out as Debian's: its links, and where they lead. */
    private record DebianHome(Path home, Path net, Path certs, Path cacerts) {}

    /**
     * usr/lib/jvm/java-17-openjdk-amd64 under tmp: conf/net.properties links into etc/java-17-openjdk,
     * lib/security/cacerts into etc/ssl/certs/java, lib/security/gone nowhere, lib/jvm.cfg to lib/modules inside the
     * home, and docs is a directory link to etc/ssl/certs.
     */
    private DebianHome debianHome() throws Exception {
        Path etc = Files.createDirectories(tmp.resolve("etc/java-17-openjdk"));
        Path net = Files.writeString(etc.resolve("net.properties"), "");
        Path certs = Files.createDirectories(tmp.resolve("etc/ssl/certs/java"));
        Path cacerts = Files.writeString(certs.resolve("cacerts"), "");
        Path home = Files.createDirectories(tmp.resolve("usr/lib/jvm/java-17-openjdk-amd64"));
        Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("lib/security"));
        Files.createSymbolicLink(home.resolve("conf/net.properties"), net);
        Files.createSymbolicLink(home.resolve("lib/security/cacerts"), cacerts);
        Files.createSymbolicLink(home.resolve("lib/security/gone"), tmp.resolve("nowhere"));
        Files.writeString(home.resolve("lib/modules"), "");
        Files.createSymbolicLink(home.resolve("lib/jvm.cfg"), home.resolve("lib/modules"));
        Files.createSymbolicLink(home.resolve("docs"), certs.getParent());
        return new DebianHome(home, net, certs, cacerts);
    }

    /** The ${java.home} patterns whose expansion follows links out of the JDK home. */
    private static final List<String> JDK_PATTERNS = List.of(
            "${java.home}/**",
            "${java.home}/conf/**",
            "${java.home}/lib/**",
            "${java.home}/lib/security/**",
            "${java.home}/conf/*.properties",
            "${java.home}/*");

    private static List<String> expanded(Roots roots) {
        List<String> out = new java.util.ArrayList<>();
        for (String p : JDK_PATTERNS) roots.expandValue(p, out);
        return out;
    }

    /** Every symbolic link under a home, as inlay wrap lists them (paths under the home, in no particular order). */
    private static String[] linksUnder(Path home) throws Exception {
        List<String> links = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> all = Files.walk(home)) {
            for (Path p : (Iterable<Path>) all::iterator)
                if (Files.isSymbolicLink(p)) links.add("/" + home.relativize(p));
        }
        java.util.Collections.shuffle(links, new java.util.Random(17));
        return links.toArray(new String[0]);
    }

    /**
     * The links under the JDK home as inlay wrap lists them (jdk-links.bin) expand a pattern exactly as the walk of the
     * home does, in the same order: on a made-up Debian-like home with every kind of entry, and on each JDK of this
     * host (Debian's JDK 17 links conf files into /etc, Temurin 25's package links cacerts).
     */
    @Test
    void knownLinksExpandAsTheWalkOfTheHome() throws Exception {
        DebianHome made = debianHome();
        Path home = made.home();
        Path net = made.net();
        Path cacerts = made.cacerts();
        Path etc = Files.createDirectories(net.resolveSibling("security"));
        Path security = Files.writeString(etc.resolve("java.security"), "");
        Files.createDirectories(home.resolve("conf/security"));
        Files.createDirectories(home.resolve("legal/java.base"));
        Files.createSymbolicLink(home.resolve("conf/security/java.security"), security);
        Files.createSymbolicLink(home.resolve("conf-x"), net); // '-' sorts before '/', but a walk is in conf first
        Files.createSymbolicLink(home.resolve("legal/java.base/LICENSE"), net); // never walked
        Files.createSymbolicLink(home.resolve("lib/etc"), etc.getParent()); // a directory link: not entered
        Roots walked = Roots.of(home.toString(), null, "/tmp", "/");
        String[] links = linksUnder(home);
        Roots known = walked.withKnownJdkLinks(links);
        assertFalse(walked.jdkLinksKnown());
        assertTrue(known.jdkLinksKnown());
        List<String> expected = expanded(walked);
        assertTrue(expected.contains(net.toString()) && expected.contains(cacerts.toString()), expected.toString());
        assertEquals(expected, expanded(known));
        assertTrue(Roots.walkOrder("/conf-x", "/conf/net.properties") > 0);
        assertTrue(Roots.walkOrder("/conf", "/conf/net.properties") < 0);
        assertTrue(Roots.walkOrder("/lib/a", "/lib/b") < 0);
        // a list may name paths that are no links out of the home, or no paths at all, and name them twice
        String[] noisy = java.util.Arrays.copyOf(links, links.length + 7);
        System.arraycopy(
                new String[] {
                    "/lib/modules",
                    "/missing",
                    "/../../../../etc/passwd",
                    "lib/security/cacerts",
                    "/",
                    "/lib/etc/java-17-openjdk/net.properties",
                    "/conf/net.properties"
                },
                0,
                noisy,
                links.length,
                7);
        assertEquals(expected, expanded(walked.withKnownJdkLinks(noisy)));
        // the list is what counts: a link it leaves out is not followed (no walk behind it)
        List<String> without = expanded(walked.withKnownJdkLinks(java.util.Arrays.stream(links)
                .filter(l -> !l.equals("/lib/security/cacerts"))
                .toArray(String[]::new)));
        assertFalse(without.contains(cacerts.toString()), without.toString());
        assertTrue(without.contains(net.toString()), without.toString());

        int jdks = 0;
        try (java.util.stream.Stream<Path> installed = Files.list(Path.of("/usr/lib/jvm"))) {
            for (Path jdk : (Iterable<Path>) installed::iterator) {
                if (Files.isSymbolicLink(jdk) || !Files.isRegularFile(jdk.resolve("release"))) continue;
                Roots host = Roots.of(jdk.toString(), null, "/tmp", "/");
                assertEquals(expanded(host), expanded(host.withKnownJdkLinks(linksUnder(jdk))), jdk.toString());
                jdks++;
            }
        }
        Path running = Path.of(System.getProperty("java.home")).toRealPath();
        Roots host = Roots.of(running.toString(), null, "/tmp", "/");
        assertEquals(expanded(host), expanded(host.withKnownJdkLinks(linksUnder(running))), running.toString());
        assertTrue(jdks >= 1, "the host's JDKs under /usr/lib/jvm");
    }

    @Test
    void aRootWithNoPathMatchesNothingAndARootAtSlashJoinsCleanly() throws Exception {
        Policy p = parse("""
                    - id: code
                      operations: [read]
                      paths: ["${app.classpath}/**"]
                    - id: data
                      paths: ["${user.dir}/data/**", "${user.dir}"]
                """);
        Policy literal = Roots.of("/opt/java", "", "/tmp", "/").expand(p);
        assertEquals(
                List.of("data"),
                literal.rules().stream().map(Rule::id).toList(),
                "an empty selector would match everything: the rule is left out");
        assertEquals(List.of("/data/**", "/"), literal.rules().get(0).values(Selector.PATHS));
        PolicyEngine engine = PolicyEngine.compile(p, Roots.of("/opt/java", "", "/tmp", "/"));
        assertEquals(Action.DENY, engine.file(Operation.READ, "/etc/passwd").action());
        assertEquals(Action.ALLOW, engine.file(Operation.WRITE, "/data/x").action());
    }

    @Test
    void aRootPathWithPatternCharactersIsLiteral() throws Exception {
        Policy p = parse("""
                    - id: tmp
                      paths: ["${java.io.tmpdir}/**"]
                """);
        PolicyEngine engine = PolicyEngine.compile(p, Roots.of("/opt/java", "", "/tmp/*", "/"));
        assertEquals(Action.ALLOW, engine.file(Operation.WRITE, "/tmp/*/x").action());
        assertEquals(Action.DENY, engine.file(Operation.WRITE, "/tmp/a/x").action());
    }

    @Test
    void executablesTakeRootsAndCompileUsesThisJvm() throws Exception {
        Policy p = PolicyParser.parse("""
                apiVersion: inlay.dev/v1
                kind: Policy
                metadata: {name: t}
                spec:
                  processes:
                    - id: java
                      executables: ["${java.home}/bin/java"]
                """, "t.yaml");
        PolicyEngine engine = PolicyEngine.compile(p);
        String home = System.getProperty("java.home");
        assertEquals(
                Action.ALLOW,
                engine.process(List.of(home + "/bin/java", "-version")).action());
        assertEquals(Action.DENY, engine.process(List.of("/usr/bin/sh")).action());
    }

    /** The agent starts from the compiled form: roots travel in it as written and resolve where it is read. */
    @Test
    void theCompiledFormKeepsRootsSymbolic() throws Exception {
        Policy p = parse("""
                    - id: jdk
                      operations: [read]
                      paths: ["${java.home}/lib/**", "${user.dir}"]
                """);
        Policy again = CompiledPolicy.read(CompiledPolicy.write(p), "compiled");
        assertEquals(p, again);
        PolicyEngine engine = PolicyEngine.compile(again, Roots.of("/opt/java/openjdk", null, "/tmp", "/srv"));
        assertEquals(
                Action.ALLOW,
                engine.file(Operation.READ, "/opt/java/openjdk/lib/modules").action());
        assertEquals(Action.ALLOW, engine.file(Operation.READ, "/srv").action());
        assertEquals(Action.DENY, engine.file(Operation.READ, "/srv/x").action());
    }

    @Test
    void theJvmBaselineResolvesUnderThisJdk() {
        PolicyEngine baseline =
                PolicyEngine.compile(JvmBaseline.policy(), Roots.of("/opt/java/openjdk", null, "/tmp", "/"));
        assertEquals(
                Action.ALLOW,
                baseline.file(Operation.READ, "/sys/fs/cgroup/memory.max").action());
        assertEquals(
                Action.ALLOW,
                baseline.file(Operation.READ, "/sys/fs/cgroup/memory/process_api/b74dd45d/memory.limit_in_bytes")
                        .action());
        assertEquals(
                Action.ALLOW,
                baseline.file(Operation.READ, "/opt/java/openjdk/conf/security/java.security")
                        .action());
        assertEquals(
                Action.ALLOW,
                baseline.nativeLibrary("/opt/java/openjdk/lib/libmanagement.so").action());
        assertEquals(
                Action.DENY,
                baseline.file(Operation.WRITE, "/sys/fs/cgroup/cgroup.procs").action());
        assertEquals(
                Action.DENY, baseline.file(Operation.READ, "/proc/self/environ").action());
        assertEquals(
                Action.DENY, baseline.file(Operation.READ, "/proc/1/mountinfo").action());
        assertEquals(
                Action.DENY,
                baseline.file(Operation.READ, "/opt/java/openjdk/bin/java").action());
        assertEquals(Action.DENY, baseline.nativeLibrary("/usr/lib/libevil.so").action());
    }
}
