package dev.inlay.policy.engine;

import dev.inlay.model.Component;
import dev.inlay.policy.Action;
import dev.inlay.policy.Category;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static dev.inlay.policy.Operation.CONNECT;
import static dev.inlay.policy.Operation.READ;
import static dev.inlay.policy.Operation.REFLECT;
import static dev.inlay.policy.Operation.WRITE;
import static dev.inlay.policy.engine.PolicyEngineTest.engine;
import static dev.inlay.policy.engine.PolicyEngineTest.expect;
import static dev.inlay.policy.engine.PolicyEngineTest.ip;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code components} selector: a rule for some code applies to that code only (issue 22). */
class ComponentScopeTest {
    static final String LOG4J = "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1";
    static final String HTTP = "pkg:maven/org.apache.httpcomponents/httpclient@4.5.14";

    static Component log4j() {
        return new Component(LOG4J, "/app/lib/log4j-core-2.14.1.jar");
    }

    static Component http() {
        return new Component(HTTP, "/app/lib/httpclient-4.5.14.jar");
    }

    static Component app() {
        return new Component(Component.APPLICATION, "/app/classes");
    }

    static final String DENY_ALL = "  defaults: {files: deny, network: deny, dns: deny, processes: deny,"
            + " nativeLibraries: deny, jndi: deny, deserialization: deny, classDefinition: deny, drift: deny,"
            + " capabilities: deny}\n";

    /** Every category: the scoped allow for its component, the default for another component and for the JVM. */
    @Test
    void everyCategoryAppliesAScopedRuleToItsComponentsOnly() throws Exception {
        PolicyEngine e = engine(
                DENY_ALL
                        + "  files:\n    - {id: f, paths: ['/data/**'], components: ['pkg:maven/org.apache.logging.log4j/log4j-core']}\n"
                        + "  network:\n    - {id: n, hosts: [api.example.com], ports: [443], components: ['" + HTTP
                        + "']}\n    - {id: n-cidr, cidrs: [10.0.0.0/8], components: ['pkg:maven/org.apache.httpcomponents/*']}\n"
                        + "  dns:\n    - {id: d, names: ['*.example.com'], components: ['pkg:maven/org.apache.httpcomponents/httpclient']}\n"
                        + "  processes:\n    - {id: p, executables: [/usr/bin/sha256sum], components: [app]}\n"
                        + "  nativeLibraries:\n    - {id: so, paths: ['/tmp/*.so'], components: ['/app/lib/netty-*.jar']}\n"
                        + "  jndi:\n    - {id: j, schemes: [java], components: [app]}\n"
                        + "  deserialization:\n    - {id: s, classes: ['java.util.**'], components: [app]}\n"
                        + "  classDefinition:\n    - {id: c, classes: ['**'], components: ['pkg:maven/net.bytebuddy/byte-buddy']}\n"
                        + "  drift:\n    - {id: dr, paths: ['/tmp/x'], components: [app]}\n"
                        + "  capabilities:\n    - {id: cap, operations: [reflect], components: ['pkg:maven/org.apache.logging.log4j/log4j-core@2.*']}\n");
        Component log4j = log4j(), http = http(), app = app();
        Component netty = new Component("/app/lib/netty-common-4.1.jar", "/app/lib/netty-common-4.1.jar");
        Component byteBuddy = new Component("pkg:maven/net.bytebuddy/byte-buddy@1.14.0", "/app/lib/bb.jar");

        expect(e.file(READ, "/data/a", log4j), Action.ALLOW, "f");
        expect(e.file(READ, "/data/a", http), Action.DENY, "default/files");
        expect(e.file(READ, "/data/a", null), Action.DENY, "default/files");
        expect(e.file(READ, "/data/a"), Action.DENY, "default/files"); // the old method is the JVM itself

        InetAddress api = ip("93.184.216.34");
        expect(e.network(CONNECT, false, "api.example.com", api, 443, http), Action.ALLOW, "n");
        expect(e.network(CONNECT, false, "api.example.com", api, 443, log4j), Action.DENY, "default/network");
        expect(e.network(CONNECT, false, "api.example.com", api, 443, null), Action.DENY, "default/network");
        expect(e.network(CONNECT, false, null, ip("10.1.2.3"), 80, http), Action.ALLOW, "n-cidr");
        expect(e.network(CONNECT, false, null, ip("10.1.2.3"), 80, log4j), Action.DENY, "default/network");
        expect(e.network(CONNECT, false, null, ip("10.1.2.3"), 80, null), Action.DENY, "default/network");

        expect(e.dns("api.example.com", http), Action.ALLOW, "d");
        expect(e.dns("api.example.com", log4j), Action.DENY, "default/dns");
        expect(e.dns("api.example.com", null), Action.DENY, "default/dns");

        List<String> sum = List.of("/usr/bin/sha256sum", "/data/a");
        expect(e.process(sum, app), Action.ALLOW, "p");
        expect(e.process(sum, log4j), Action.DENY, "default/processes");
        expect(e.process(sum, null), Action.DENY, "default/processes");

        expect(e.nativeLibrary("/tmp/libx.so", netty), Action.ALLOW, "so");
        expect(e.nativeLibrary("/tmp/libx.so", http), Action.DENY, "default/nativeLibraries");
        expect(e.nativeLibrary("/tmp/libx.so", null), Action.DENY, "default/nativeLibraries");

        expect(e.jndi("java:comp/env/x", app), Action.ALLOW, "j");
        expect(e.jndi("java:comp/env/x", log4j), Action.DENY, "default/jndi");
        expect(e.jndi("java:comp/env/x", null), Action.DENY, "default/jndi");

        expect(e.deserialization("java.util.ArrayList", app), Action.ALLOW, "s");
        expect(e.deserialization("java.util.ArrayList", log4j), Action.DENY, "default/deserialization");
        expect(e.deserialization("java.util.ArrayList", null), Action.DENY, "default/deserialization");

        expect(e.classDefinition("X$$Proxy", "a.Loader", byteBuddy), Action.ALLOW, "c");
        expect(e.classDefinition("X$$Proxy", "a.Loader", log4j), Action.DENY, "default/classDefinition");
        expect(e.classDefinition("X$$Proxy", "a.Loader", null), Action.DENY, "default/classDefinition");

        expect(e.drift("/tmp/x", app), Action.ALLOW, "dr");
        expect(e.drift("/tmp/x", http), Action.DENY, "default/drift");
        expect(e.drift("/tmp/x", null), Action.DENY, "default/drift");

        expect(e.capability(REFLECT, "/app/lib/log4j.jar", "java.lang.String", log4j), Action.ALLOW, "cap");
        expect(
                e.capability(REFLECT, "/app/lib/log4j.jar", "java.lang.String", http),
                Action.DENY,
                "default/capabilities");
        expect(
                e.capability(REFLECT, "/app/lib/log4j.jar", "java.lang.String", null),
                Action.DENY,
                "default/capabilities");

        for (Category c : Category.values()) assertTrue(e.scopedByComponent(c), c.toString());
    }

    /**
     * A jar named under a root (as a policy learned where the application lived elsewhere names it) matches the jar at
     * the path the root stands for here, and nothing else (issue 19: policies that travel).
     */
    @Test
    void aJarUnderARootMatchesWhereTheRootIsHere() throws Exception {
        PolicyEngine e = engine(DENY_ALL + "  jndi:\n" + "    - {id: j, components: ['${user.dir}/lib/*.jar']}\n");
        String here = System.getProperty("user.dir");
        Component local = new Component(here + "/lib/tool.jar", here + "/lib/tool.jar");
        Component elsewhere = new Component("/elsewhere/lib/tool.jar", "/elsewhere/lib/tool.jar");
        expect(e.jndi("java:comp/env/x", local), Action.ALLOW, "j");
        expect(e.jndi("java:comp/env/x", elsewhere), Action.DENY, "default/jndi");
        expect(e.jndi("java:comp/env/x", null), Action.DENY, "default/jndi");
    }

    @Test
    void unscopedRulesApplyToEveryoneAndTheMostSevereStillWins() throws Exception {
        PolicyEngine e = engine(DENY_ALL + "  files:\n"
                + "    - {id: all-read, operations: [read], paths: ['/data/**']}\n"
                + "    - {id: log4j-write, operations: [write], paths: ['/data/**'], components: ['" + LOG4J + "']}\n"
                + "    - {id: no-secrets, action: deny, paths: ['/data/secret/**'], components: [app]}\n");
        Component log4j = log4j(), app = app();
        expect(e.file(READ, "/data/a", null), Action.ALLOW, "all-read");
        expect(e.file(READ, "/data/a", app), Action.ALLOW, "all-read");
        expect(e.file(WRITE, "/data/a", log4j), Action.ALLOW, "log4j-write");
        expect(e.file(WRITE, "/data/a", app), Action.DENY, "default/files");
        // A scoped deny beats an unscoped allow for its component, not for the others.
        expect(e.file(READ, "/data/secret/k", app), Action.DENY, "no-secrets");
        expect(e.file(READ, "/data/secret/k", log4j), Action.ALLOW, "all-read");
        expect(e.file(READ, "/data/secret/k", null), Action.ALLOW, "all-read");
        assertTrue(e.scopedByComponent(Category.FILE));
        assertFalse(e.scopedByComponent(Category.NETWORK));
    }

    @Test
    void versionlessAndVersionedPackageUrlsAndPathsAndTheApplication() {
        ComponentPattern any = new ComponentPattern("pkg:maven/org.apache.logging.log4j/log4j-core");
        ComponentPattern two = new ComponentPattern("pkg:maven/org.apache.logging.log4j/log4j-core@2.*");
        ComponentPattern exact = new ComponentPattern("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
        ComponentPattern group = new ComponentPattern("pkg:maven/org.apache.logging.log4j/*");
        ComponentPattern jars = new ComponentPattern("/app/lib/*.jar");
        ComponentPattern application = new ComponentPattern("app");
        String v2 = LOG4J, v3 = "pkg:maven/org.apache.logging.log4j/log4j-core@3.0.0";
        String qualified = "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.0?type=jar";
        String unversioned = "pkg:maven/org.apache.logging.log4j/log4j-core";
        String api = "pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1";
        String lookalike = "pkg:maven/org.apache.logging.log4j/log4j-core-evil@2.14.1";

        assertTrue(any.matches(v2, null) && any.matches(v3, null) && any.matches(qualified, null));
        assertTrue(any.matches(unversioned, null));
        assertFalse(any.matches(api, null) || any.matches(lookalike, null));
        assertTrue(two.matches(v2, null) && two.matches(qualified, null));
        assertFalse(two.matches(v3, null) || two.matches(unversioned, null) || two.matches(lookalike, null));
        assertTrue(exact.matches(v2, null));
        assertFalse(exact.matches(qualified, null) || exact.matches(v3, null));
        assertTrue(group.matches(api, null) && group.matches(v2, null));
        assertFalse(group.matches("pkg:maven/org.apache.logging.log4jx/y@1", null));

        // Paths: the jar a package was loaded from, or a component known only by its path.
        assertTrue(jars.matches(v2, "/app/lib/log4j-core-2.14.1.jar"));
        assertTrue(jars.matches("/app/lib/x.jar", "/app/lib/x.jar"));
        assertFalse(jars.matches("/app/lib/sub/x.jar", "/app/lib/sub/x.jar")); // '*' stays in its segment
        assertFalse(jars.matches(v2, null));
        assertFalse(jars.matches("app", "/app/classes"));
        assertTrue(new ComponentPattern("/app/**").matches("app", "/app/classes")); // where its classes are
        assertTrue(new ComponentPattern("/app.jar!/BOOT-INF/lib/*.jar")
                .matches("/app.jar!/BOOT-INF/lib/a.jar", "/app.jar!/BOOT-INF/lib/a.jar"));

        assertTrue(application.matches("app", "/app/classes"));
        assertFalse(application.matches("/app/lib/x.jar", "/app/lib/x.jar") || application.matches(v2, null));
        assertFalse(any.matches("app", null) || any.matches("/app/lib/log4j-core.jar", "/app/lib/log4j-core.jar"));
    }

    /** A reload compiles a new engine: it must not read the memo the old one left on the component. */
    @Test
    void aMemoOfAnotherEngineIsNeverUsed() throws Exception {
        PolicyEngine allows =
                engine(DENY_ALL + "  files:\n    - {id: log4j, paths: ['/data/**'], components: ['" + LOG4J + "']}\n");
        PolicyEngine denies =
                engine(DENY_ALL + "  files:\n    - {id: other, paths: ['/data/**'], components: ['" + HTTP + "']}\n");
        Component log4j = log4j();
        expect(allows.file(READ, "/data/a", log4j), Action.ALLOW, "log4j");
        Object first = log4j.engineMemo;
        expect(denies.file(READ, "/data/a", log4j), Action.DENY, "default/files");
        assertNotSame(first, log4j.engineMemo);
        expect(allows.file(READ, "/data/a", log4j), Action.ALLOW, "log4j");
        // The same engine reuses its memo: no new matching per decision.
        Object memo = log4j.engineMemo;
        allows.file(READ, "/data/b", log4j);
        assertSame(memo, log4j.engineMemo);
    }

    /**
     * The policy in force and a candidate beside it (shadow mode) decide for the same component in turn: each finds
     * its memo, nothing is recomputed or allocated; a third engine (a reload) gets its own and never reads theirs.
     */
    @Test
    void twoEnginesTakingTurnsKeepTheirMemos() throws Exception {
        PolicyEngine active =
                engine(DENY_ALL + "  files:\n    - {id: log4j, paths: ['/data/**'], components: ['" + LOG4J + "']}\n");
        PolicyEngine candidate = engine(DENY_ALL
                + "  files:\n    - {id: log4j-read, operations: [read], paths: ['/data/**'], components: ['"
                + LOG4J + "']}\n");
        PolicyEngine reloaded =
                engine(DENY_ALL + "  files:\n    - {id: http, paths: ['/data/**'], components: ['" + HTTP + "']}\n");
        Component log4j = log4j();
        expect(active.file(WRITE, "/data/a", log4j), Action.ALLOW, "log4j");
        expect(candidate.file(WRITE, "/data/a", log4j), Action.DENY, "default/files");
        Object both = log4j.engineMemo;
        Runnable turns = () -> {
            for (int i = 0; i < 100_000; i++) {
                if (active.file(READ, "/data/a", log4j).action() != Action.ALLOW
                        || candidate.file(READ, "/data/a", log4j).action() != Action.ALLOW) {
                    throw new AssertionError("not allowed");
                }
            }
        };
        turns.run();
        assertSame(both, log4j.engineMemo, "neither engine recomputed its memo");
        long allocated = DecisionRuns.bytesAllocatedBy(turns);
        assertTrue(allocated < 4096, "two engines in turn allocated " + allocated + " bytes");
        // A reload: the new engine's memo, then the old ones still answer for themselves only.
        expect(reloaded.file(READ, "/data/a", log4j), Action.DENY, "default/files");
        expect(candidate.file(READ, "/data/a", log4j), Action.ALLOW, "log4j-read");
        expect(reloaded.file(READ, "/data/a", log4j), Action.DENY, "default/files");
        expect(active.file(WRITE, "/data/a", log4j), Action.ALLOW, "log4j");
        expect(reloaded.file(READ, "/data/a", http()), Action.ALLOW, "http");
    }

    @Test
    void decidingForManyComponentsIsThreadSafe() throws Exception {
        PolicyEngine e = engine(
                DENY_ALL
                        + "  files:\n    - {id: log4j, paths: ['/data/**'], components: ['pkg:maven/org.apache.logging.log4j/log4j-core']}\n"
                        + "  network:\n    - {id: http, ports: [443], components: ['pkg:maven/org.apache.httpcomponents/*']}\n");
        PolicyEngine other = engine(DENY_ALL + "  files:\n    - {id: all, paths: ['/data/**']}\n");
        Component[] shared = {log4j(), http(), app()};
        DecisionRuns.assertNoneWrongOnThreads(8, () -> {
            int wrong = 0;
            for (int i = 0; i < 20_000; i++) {
                Component c = shared[i % 3];
                boolean isLog4j = c.id.equals(LOG4J);
                boolean isHttp = c.id.equals(HTTP);
                if ((e.file(READ, "/data/" + i, c).action() == Action.ALLOW) != isLog4j) wrong++;
                if ((e.network(CONNECT, false, null, null, 443, c).action() == Action.ALLOW) != isHttp) wrong++;
                // Another engine deciding for the same components at the same time (a reload in flight).
                if (i % 10 == 0 && other.file(READ, "/data/x", c).action() != Action.ALLOW) wrong++;
            }
            return wrong;
        });
    }

    @Test
    void allowedDecisionsUnderScopedRulesAllocateNothing() throws Exception {
        PolicyEngine e = engine(DENY_ALL
                + "  files:\n    - {id: log4j, operations: [read], paths: ['/app/lib/**'], components: ['" + LOG4J
                + "']}\n"
                + "  network:\n    - {id: http, hosts: [db.internal], ports: [5432], components: ['" + HTTP + "']}\n"
                + "  processes:\n    - {id: git, executables: [/usr/bin/git], components: [app]}\n");
        Component log4j = log4j(), http = http(), app = app();
        InetAddress db = ip("10.20.3.4");
        List<String> git = List.of("/usr/bin/git", "status");
        Runnable decisions = () -> {
            for (int i = 0; i < 100_000; i++) {
                if (e.file(READ, "/app/lib/x.jar", log4j).action() != Action.ALLOW
                        || e.network(CONNECT, false, "db.internal", db, 5432, http)
                                        .action()
                                != Action.ALLOW
                        || e.process(git, app).action() != Action.ALLOW) {
                    throw new AssertionError("not allowed");
                }
            }
        };
        decisions.run();
        long allocated = DecisionRuns.bytesAllocatedBy(decisions);
        assertTrue(allocated < 4096, "allow path allocated " + allocated + " bytes");
    }
}
