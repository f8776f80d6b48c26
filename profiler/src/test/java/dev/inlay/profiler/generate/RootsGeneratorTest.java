package dev.inlay.profiler.generate;

import dev.inlay.policy.Action;
import dev.inlay.policy.Category;
import dev.inlay.policy.Operation;
import dev.inlay.policy.Policy;
import dev.inlay.policy.PolicyParser;
import dev.inlay.policy.Roots;
import dev.inlay.policy.Selector;
import dev.inlay.policy.engine.PolicyEngine;
import dev.inlay.profiler.Docs;
import dev.inlay.profiler.profile.MergedProfile;
import dev.inlay.profiler.profile.MergedProfileWriter;
import dev.inlay.profiler.profile.ProfileReader;
import dev.inlay.profiler.review.PolicyDiff;
import dev.inlay.profiler.review.PolicyLinter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static dev.inlay.profiler.Docs.behavior;
import static dev.inlay.profiler.Docs.exec;
import static dev.inlay.profiler.Docs.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JDK home, class path, temporary and working directory of the learning JVM are written as roots. */
class RootsGeneratorTest {
    static final String JDK = "/usr/lib/jvm/java-17-openjdk-amd64";
    static final String ROOTS = "{\"java.home\":[\"" + JDK + "\"],\"app.classpath\":[\"/work/app/app.jar\","
            + "\"/work/app/lib/dep-1.2.jar\"],\"java.io.tmpdir\":[\"/var/tmp/app\"],\"user.dir\":[\"/work/app\"]}";

    /** A profile document as the agent writes it, with its "roots" header. */
    static String withRoots(String roots, String... behaviors) {
        String doc = Docs.simple(1, behaviors);
        return doc.replace(",\"behaviors\":[", ",\"roots\":" + roots + ",\"behaviors\":[");
    }

    static MergedProfile read(String... docs) throws Exception {
        MergedProfile merged = new MergedProfile();
        ProfileReader.read(new StringReader(String.join("\n", docs)), merged);
        return merged;
    }

    static Policy generate(MergedProfile merged) throws Exception {
        PolicyGenerator.Generated g = PolicyGenerator.generate(merged, PolicyGenerator.Options.defaults());
        return PolicyParser.parse(g.toYaml(), "generated.yaml"); // what is written parses back
    }

    static List<String> values(Policy p, Category c, Selector s) {
        return p.rules(c).stream().flatMap(r -> r.values(s).stream()).sorted().toList();
    }

    @Test
    void jdkHomeClassPathTmpAndWorkingDirectoryAreWrittenAsRoots() throws Exception {
        Policy p = generate(read(withRoots(
                ROOTS,
                file("read", JDK + "/lib/tzdb.dat"),
                file("read", JDK + "/release"),
                behavior(
                        "native",
                        "load",
                        JDK + "/lib/libmanagement.so",
                        1,
                        "2026-11-23T17:01:00.000Z",
                        "2026-11-23T17:01:00.000Z"),
                file("read", "/work/app/app.jar"),
                file("read", "/work/app/lib/dep-1.2.jar"),
                file("create", "/var/tmp/app/upload-8812.tmp"),
                file("write", "/var/tmp/app/upload-8812.tmp"),
                file("write", "/work/app/state.json"),
                file("read", "/etc/hosts"),
                exec(JDK + "/bin/java", "java", "-version"))));
        List<String> files = values(p, Category.FILE, Selector.PATHS);
        assertEquals(
                List.of(
                        "${app.classpath}",
                        "${java.home}/**",
                        "${java.io.tmpdir}/upload-*.tmp",
                        "${user.dir}/state.json",
                        "/etc/hosts"),
                files);
        assertEquals(List.of("${java.home}/**"), values(p, Category.NATIVE, Selector.PATHS));
        assertEquals(List.of("${java.home}/bin/java"), values(p, Category.PROCESS, Selector.EXECUTABLES));
        assertTrue(
                PolicyLinter.lint(p).stream().noneMatch(f -> f.kind() == PolicyLinter.Kind.BROAD),
                PolicyLinter.lint(p).toString());

        // Enforced on another JDK, class path, temporary and working directory: the same behaviors are allowed.
        PolicyEngine there = PolicyEngine.compile(
                p, Roots.of("/opt/java/openjdk", "/app/app.jar:/app/lib/dep-1.2.jar", "/tmp", "/app"));
        assertEquals(
                Action.ALLOW,
                there.file(Operation.READ, "/opt/java/openjdk/lib/tzdb.dat").action());
        assertEquals(
                Action.ALLOW,
                there.nativeLibrary("/opt/java/openjdk/lib/libmanagement.so").action());
        assertEquals(
                Action.ALLOW, there.file(Operation.READ, "/app/lib/dep-1.2.jar").action());
        assertEquals(
                Action.ALLOW, there.file(Operation.WRITE, "/tmp/upload-1.tmp").action());
        assertEquals(
                Action.ALLOW, there.file(Operation.WRITE, "/app/state.json").action());
        assertEquals(
                Action.ALLOW,
                there.process(List.of("/opt/java/openjdk/bin/java", "-version")).action());
        assertEquals(
                Action.DENY, there.file(Operation.READ, JDK + "/lib/tzdb.dat").action(), "the old JDK is not allowed");
    }

    @Test
    void withoutRootsInTheProfileLearnedPathsStayLiteral() throws Exception {
        Policy p =
                generate(read(Docs.simple(1, file("read", "/work/app/app.jar"), file("read", JDK + "/lib/tzdb.dat"))));
        assertEquals(List.of(JDK + "/**", "/work/app/app.jar"), values(p, Category.FILE, Selector.PATHS));
    }

    /** Roots come from the agent's header only: a learned name that looks like a root is a literal. */
    @Test
    void aLearnedPathHoldingARootIsALiteralAndAForgedRootOfSlashIsIgnored() throws Exception {
        Policy p = generate(read(withRoots(
                "{\"user.dir\":[\"/\"],\"java.home\":[\"relative/jdk\"],\"nope\":[\"/etc\"]}",
                file("read", "/data/${java.home}/x"),
                file("read", "/etc/hosts"))));
        assertEquals(List.of("/data/${java.home}/x", "/etc/hosts"), values(p, Category.FILE, Selector.PATHS));
        PolicyEngine engine = PolicyEngine.compile(p, Roots.of("/opt/java", "", "/tmp", "/"));
        assertEquals(
                Action.ALLOW,
                engine.file(Operation.READ, "/data/${java.home}/x").action());
        assertEquals(Action.DENY, engine.file(Operation.READ, "/opt/java/x").action());
    }

    /** {@code -cp .}: the class path entry is the working directory; a file written there is data, not code. */
    @Test
    void aClassPathEntryThatIsTheWorkingDirectoryIsWrittenAsTheWorkingDirectory() throws Exception {
        Policy p = generate(read(withRoots(
                "{\"app.classpath\":[\"/srv/app\"],\"user.dir\":[\"/srv/app\"]}",
                file("write", "/srv/app/state.json"),
                file("read", "/srv/app/Main.class"))));
        assertEquals(
                List.of("${user.dir}/Main.class", "${user.dir}/state.json"), values(p, Category.FILE, Selector.PATHS));
    }

    @Test
    void mergedProfilesKeepTheRoots() throws Exception {
        MergedProfile merged = read(withRoots(ROOTS, file("read", JDK + "/lib/tzdb.dat")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MergedProfileWriter.write(merged, out);
        MergedProfile again = read(out.toString(StandardCharsets.UTF_8));
        assertEquals(merged.roots(), again.roots());
        assertEquals(Set.of(JDK), again.roots().get("java.home"));
        assertEquals(List.of("${java.home}/**"), values(generate(again), Category.FILE, Selector.PATHS));
    }

    static Policy jdkRule(String path) throws Exception {
        return PolicyParser.parse(
                "apiVersion: inlay.dev/v1\nkind: Policy\nmetadata: {name: t}\nspec:\n  files:\n"
                        + "    - {id: jdk, operations: [read], paths: [\"" + path + "\"]}\n",
                "t.yaml");
    }

    @Test
    void diffComparesRootsSymbolically() throws Exception {
        assertTrue(PolicyDiff.diff(jdkRule("${java.home}/lib/**"), jdkRule("${java.home}/**"))
                .widens());
        assertFalse(PolicyDiff.diff(jdkRule("${java.home}/**"), jdkRule("${java.home}/lib/**"))
                .widens());
        assertFalse(PolicyDiff.diff(jdkRule("${java.home}/**"), jdkRule("${java.home}/**"))
                .widens());
        assertTrue(
                PolicyDiff.diff(jdkRule(JDK + "/**"), jdkRule("${java.home}/**"))
                        .widens(),
                "a root is not known to lie inside a literal path");
        assertTrue(PolicyDiff.diff(jdkRule("${java.home}/**"), jdkRule("${user.dir}/**"))
                .widens());
        assertTrue(
                PolicyDiff.diff(jdkRule("${java.home}/**"), jdkRule("/{java.home}/x"))
                        .widens(),
                "the literal directory '{java.home}' is not under the root");
    }

    @Test
    void lintKnowsRoots() throws Exception {
        Policy p = PolicyParser.parse("""
                apiVersion: inlay.dev/v1
                kind: Policy
                metadata: {name: t}
                spec:
                  files:
                    - {id: tmp, operations: [read, write, create, delete, list], paths: ["${java.io.tmpdir}/**"]}
                    - {id: jdk-read, operations: [read], paths: ["${java.home}/**"]}
                    - {id: jdk-write, operations: [write], paths: ["${java.home}/lib/**"]}
                    - {id: code-write, operations: [create], paths: ["${app.classpath}"]}
                    - {id: cwd, operations: [read], paths: ["${user.dir}/**"]}
                    - {id: jdk-lib, operations: [read], paths: ["${java.home}/lib/tzdb.dat"]}
                """, "t.yaml");
        List<String> findings = PolicyLinter.lint(p).stream()
                .map(f -> f.ruleId() + " " + f.kind())
                .toList();
        assertEquals(List.of("jdk-write BROAD", "code-write BROAD", "cwd BROAD", "jdk-lib SHADOWED"), findings);
    }
}
