package dev.inlay.profiler.generate;

import dev.inlay.policy.Category;
import dev.inlay.policy.Operation;
import dev.inlay.policy.Selector;
import dev.inlay.profiler.profile.BehaviorKey;
import dev.inlay.profiler.profile.BehaviorStats;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each pass of the generator on its own, on drafts made by hand: what it merges, and what it leaves alone. */
class DraftPassesTest {
    private static final LearnedRoots NO_ROOTS = new LearnedRoots(Map.of());

    private static Draft add(Drafts drafts, Category category, Operation op, Selector selector, String value) {
        BehaviorKey key = new BehaviorKey(category, op, value, List.of());
        return drafts.draft(category, value, value).add(key, new BehaviorStats(), op, selector, value, false);
    }

    private static void files(Drafts drafts, Operation op, String dir, int count, String suffix) {
        for (int i = 0; i < count; i++) add(drafts, Category.FILE, op, Selector.PATHS, dir + "/f" + i + suffix);
    }

    /** Every draft as "category values", sorted: what the policy would hold. */
    private static List<String> rules(Drafts drafts) {
        List<String> out = new ArrayList<>();
        for (Draft d : drafts.all()) {
            List<String> values = new ArrayList<>();
            d.selectors.forEach((s, v) -> values.add(s.name().toLowerCase() + "=" + v));
            if (d.argPatterns != null) values.add("args=" + d.argPatterns);
            out.add(d.category.wireName() + " " + String.join(" ", values));
        }
        out.sort(null);
        return out;
    }

    @Test
    void jarsOfOneDirectoryCollapseFromTwoButOneJarAndSystemDirectoriesStay() {
        Drafts drafts = new Drafts();
        files(drafts, Operation.READ, "/app/lib", 2, ".jar");
        files(drafts, Operation.READ, "/srv/one", 1, ".jar");
        files(drafts, Operation.READ, "/usr/lib", 2, ".jar");
        files(drafts, Operation.WRITE, "/app/out", 2, ".jar");
        new CollapseJars(NO_ROOTS).apply(drafts);
        List<String> rules = rules(drafts);
        assertTrue(rules.contains("file paths=[/app/lib/*.jar]"), rules.toString());
        assertTrue(rules.contains("file paths=[/srv/one/f0.jar]"), rules.toString());
        assertTrue(rules.contains("file paths=[/usr/lib/f0.jar]"), rules.toString());
        assertTrue(rules.contains("file paths=[/app/out/f1.jar]"), rules.toString()); // written jars never collapse
        assertEquals(6, rules.size(), rules.toString());
    }

    @Test
    void readOnlySiblingsCollapseAtTheThresholdOnlyOutsideSecretAndSystemTrees() {
        Drafts drafts = new Drafts();
        files(drafts, Operation.READ, "/srv/static", 3, ".css");
        files(drafts, Operation.READ, "/srv/few", 2, ".css");
        files(drafts, Operation.READ, "/etc", 3, ".conf");
        files(drafts, Operation.READ, "/srv/.hidden", 3, ".css");
        new CollapseSiblings(3, NO_ROOTS).apply(drafts);
        List<String> rules = rules(drafts);
        assertTrue(rules.contains("file paths=[/srv/static/*]"), rules.toString());
        assertEquals(1 + 2 + 3 + 3, rules.size(), rules.toString());
        Draft merged = drafts.get(Drafts.key(Category.FILE, "/srv/static/*"));
        assertEquals(3, merged.members.size());
        assertTrue(merged.generalized);
        assertEquals("srv-static", merged.slug);
    }

    @Test
    void writtenNamesMakeADataDirectoryButNotWhereCodeLivesNorUnderAJdkHome() {
        Drafts drafts = new Drafts();
        files(drafts, Operation.WRITE, "/app/data/uploads", 3, ".pdf");
        add(drafts, Category.FILE, Operation.READ, Selector.PATHS, "/app/data/uploads/f0.pdf.idx");
        files(drafts, Operation.WRITE, "/app/plugins", 3, ".txt");
        files(drafts, Operation.WRITE, "/opt/jdk/lib", 3, ".txt");
        files(drafts, Operation.WRITE, "/etc/app", 3, ".txt");
        new CollapseWrittenDirectories(3, Set.of("/app/plugins"), new TreeSet<>(Set.of("/opt/jdk"))).apply(drafts);
        List<String> rules = rules(drafts);
        assertTrue(rules.contains("file paths=[/app/data/uploads/*]"), rules.toString());
        Draft merged = drafts.get(Drafts.key(Category.FILE, "/app/data/uploads/*"));
        assertEquals(4, merged.members.size()); // the read joins the directory's rule
        assertEquals(Set.of(Operation.WRITE, Operation.READ), merged.operations);
        assertEquals("app-data-uploads-files", merged.slug);
        assertEquals(1 + 3 + 3 + 3, rules.size(), rules.toString());
    }

    @Test
    void codeDirectoriesAreWhereCodeIsReadLoadedOrRun() {
        Set<String> code = CollapseWrittenDirectories.codeDirectories(Set.of(
                new BehaviorKey(Category.FILE, Operation.READ, "/app/lib/a.jar", List.of()),
                new BehaviorKey(Category.FILE, Operation.READ, "/app/bin/Run.CLASS", List.of()),
                new BehaviorKey(Category.FILE, Operation.EXEC, "/app/tools/x", List.of()),
                new BehaviorKey(Category.NATIVE, Operation.LOAD, "/app/native/libx.so", List.of()),
                new BehaviorKey(Category.FILE, Operation.WRITE, "/app/data/a.txt", List.of())));
        assertEquals(Set.of("/app/lib", "/app/bin", "/app/tools", "/app/native"), code);
    }

    private static void command(Drafts drafts, String executable, String... args) {
        List<String> argv = new ArrayList<>(List.of(executable));
        argv.addAll(List.of(args));
        BehaviorKey key = new BehaviorKey(Category.PROCESS, Operation.EXEC, executable, argv);
        Draft d = drafts.draft(Category.PROCESS, executable + "\u0000" + String.join("\u0000", args), executable);
        d.add(key, new BehaviorStats(), Operation.EXEC, Selector.EXECUTABLES, executable, false);
        d.argPatterns = List.of(args);
    }

    @Test
    void oneProgramOnManyFilesOfADirectoryTakesTheDirectoryButNeverForInterpretersOrOtherArguments() {
        Drafts drafts = new Drafts();
        for (int i = 0; i < 3; i++) command(drafts, "/usr/bin/sha256sum", "-b", "/app/docs/d" + i);
        for (int i = 0; i < 3; i++) command(drafts, "/bin/sh", "/app/docs/d" + i);
        for (int i = 0; i < 3; i++) command(drafts, "/usr/bin/cat", "-n" + i, "/app/docs/d" + i); // options differ
        new CollapseProcessArguments(3).apply(drafts);
        List<String> rules = rules(drafts);
        assertTrue(rules.contains("process executables=[/usr/bin/sha256sum] args=[-b, /app/docs/*]"), rules.toString());
        assertEquals(1 + 3 + 3, rules.size(), rules.toString());
        assertEquals(
                "sha256sum--b-docs",
                drafts.get(Drafts.key(Category.PROCESS, "/usr/bin/sha256sum\u0000-b\u0000/app/docs/*")).slug);
    }

    @Test
    void argumentDirectoriesArePlainAbsolutePathsInCollapsibleDirectories() {
        assertEquals("/app/docs", CollapseProcessArguments.argumentDirectory("/app/docs/a.txt"));
        assertEquals(null, CollapseProcessArguments.argumentDirectory("/app/docs/../a.txt"));
        assertEquals(null, CollapseProcessArguments.argumentDirectory("/etc/passwd"));
        assertEquals(null, CollapseProcessArguments.argumentDirectory("relative/a.txt"));
        assertEquals(null, CollapseProcessArguments.argumentDirectory("/app/*/a.txt"));
    }

    @Test
    void dnsNamesCollapseIntoTheirDomainButNeverIntoATopLevelDomain() {
        Drafts drafts = new Drafts();
        for (int i = 0; i < 3; i++)
            add(drafts, Category.DNS, Operation.RESOLVE, Selector.NAMES, "n" + i + ".svc.example");
        for (int i = 0; i < 3; i++) add(drafts, Category.DNS, Operation.RESOLVE, Selector.NAMES, "n" + i + ".com");
        new CollapseDnsNames(3).apply(drafts);
        List<String> rules = rules(drafts);
        assertTrue(rules.contains("dns names=[*.svc.example]"), rules.toString());
        assertEquals(1 + 3, rules.size(), rules.toString());
        assertEquals("svc.example", drafts.get(Drafts.key(Category.DNS, "*.svc.example")).slug);
    }

    @Test
    void deserializedClassesCollapseIntoTheirPackageButNeverTheJdksOrAGadgetLibrarys() {
        Drafts drafts = new Drafts();
        for (int i = 0; i < 3; i++) {
            add(drafts, Category.DESERIALIZATION, Operation.DESERIALIZE, Selector.CLASSES, "com.acme.model.C" + i);
            add(drafts, Category.DESERIALIZATION, Operation.DESERIALIZE, Selector.CLASSES, "java.util.C" + i);
            add(
                    drafts,
                    Category.DESERIALIZATION,
                    Operation.DESERIALIZE,
                    Selector.CLASSES,
                    "org.apache.commons.collections.functors.C" + i);
        }
        new CollapsePackages(3).apply(drafts);
        List<String> rules = rules(drafts);
        assertTrue(rules.contains("deserialization classes=[com.acme.model.*]"), rules.toString());
        assertEquals(1 + 3 + 3, rules.size(), rules.toString());
    }

    @Test
    void flaggedDraftsNeverJoinACollapse() {
        Drafts drafts = new Drafts();
        files(drafts, Operation.READ, "/srv/static", 3, ".css");
        drafts.get(Drafts.key(Category.FILE, "/srv/static/f0.css")).flagged = true;
        new CollapseSiblings(3, NO_ROOTS).apply(drafts);
        assertEquals(3, rules(drafts).size(), rules(drafts).toString());
    }

    private static Draft connections(Drafts drafts, String host, int... ports) {
        Draft d = null;
        for (int port : ports) {
            BehaviorKey key =
                    new BehaviorKey(Category.NETWORK, Operation.CONNECT, "tcp://" + host + ":" + port, List.of());
            d = drafts.draft(Category.NETWORK, "remote|tcp|" + host, "to-" + host)
                    .add(key, new BehaviorStats(), Operation.CONNECT, Selector.HOSTS, host, false);
            d.values(Selector.PORTS).add(String.valueOf(port));
        }
        return d;
    }

    @Test
    void manyEphemeralPortsToOneHostBecomeTheirRangeAndOtherPortsStay() {
        Drafts drafts = new Drafts();
        Draft ftp = connections(drafts, "ftp.example", 21, 40000, 33000, 50000, 45000);
        Draft few = connections(drafts, "rmi.example", 1099, 40000, 50000, 45000);
        new RangeEphemeralPorts().apply(drafts);
        assertEquals(List.of("21", "33000-50000"), List.copyOf(ftp.values(Selector.PORTS)));
        assertTrue(ftp.generalized);
        assertEquals(List.of("1099", "40000", "45000", "50000"), List.copyOf(few.values(Selector.PORTS)));
        assertFalse(few.generalized);
    }

    @Test
    void theLintGateWritesAGeneralizedBroadRuleAsItsBehaviorsAndKeepsASecretOut() {
        Drafts drafts = new Drafts();
        files(drafts, Operation.READ, "/srv/static", 2, ".css");
        drafts.merge(
                Category.FILE,
                "/**",
                List.of(
                        Drafts.key(Category.FILE, "/srv/static/f0.css"),
                        Drafts.key(Category.FILE, "/srv/static/f1.css")),
                Selector.PATHS,
                "all");
        BehaviorKey shadow = new BehaviorKey(Category.FILE, Operation.READ, "/etc/shadow", List.of());
        drafts.draft(Category.FILE, "/etc/shadow", "shadow")
                .add(shadow, new BehaviorStats(), Operation.READ, Selector.PATHS, "/etc/shadow", false);
        Notes notes = new Notes();
        new LintGate(notes, NO_ROOTS, NamedEndpoints.of(Map.of())).apply(drafts);
        assertEquals(List.of("file paths=[/srv/static/f0.css]", "file paths=[/srv/static/f1.css]"), rules(drafts));
        assertTrue(notes.header.get(0).startsWith("not generalized: "), notes.header.toString());
        assertEquals(1, notes.warnings.size(), notes.warnings.toString());
        assertTrue(
                notes.warnings.get(0).startsWith("kept out of the policy: file read [/etc/shadow]"),
                notes.warnings.get(0));
    }

    @Test
    void thePipelineRunsTheCollapsesThenTheRangeThenTheGate() {
        List<String> order = new ArrayList<>();
        for (DraftPass p : PolicyGenerator.passes(
                PolicyGenerator.Options.defaults(),
                Set.of(),
                new TreeSet<>(),
                NO_ROOTS,
                new Notes(),
                NamedEndpoints.of(Map.of()))) {
            order.add(p.getClass().getSimpleName());
        }
        assertEquals(
                List.of(
                        "CollapseWrittenDirectories",
                        "CollapseProcessArguments",
                        "CollapseJars",
                        "CollapseSiblings",
                        "CollapseDnsNames",
                        "CollapsePackages",
                        "RangeEphemeralPorts",
                        "LintGate"),
                order);
    }
}
