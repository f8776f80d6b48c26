package dev.inlay.profiler.generate;

import dev.inlay.policy.Category;
import dev.inlay.policy.Operation;
import dev.inlay.policy.Selector;
import dev.inlay.profiler.Docs;
import dev.inlay.profiler.profile.BehaviorKey;
import dev.inlay.profiler.profile.BehaviorStats;
import dev.inlay.profiler.profile.MergedProfile;
import dev.inlay.profiler.profile.ProfileReader;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generator's smaller parts on their own: the network form, slugs, ids, JDK homes, roots and collapse limits. */
class GenerationPartsTest {
    @Test
    void networkResourcesAreParsedInOnePlace() {
        assertEquals(
                new NetworkResource("tcp", "db.internal", "5432"), NetworkResource.parse("tcp://db.internal:5432"));
        assertEquals(new NetworkResource("udp", "::1", "53"), NetworkResource.parse("udp://[::1]:53"));
        assertEquals(new NetworkResource("tcp", "", "8080"), NetworkResource.parse("tcp://:8080"));
        assertNull(NetworkResource.parse("http://db.internal:5432"));
        assertNull(NetworkResource.parse("tcp://db.internal"));
        assertNull(NetworkResource.parse("tcp://a/b:80"));
        assertNull(NetworkResource.parse("tcp://db:123456"));
        assertTrue(NetworkResource.parse("tcp://10.0.0.1:80").byAddress());
        assertTrue(NetworkResource.parse("tcp://[fe80::1]:80").byAddress());
        assertFalse(NetworkResource.parse("tcp://10.0.0.1.example:80").byAddress());
        assertEquals(32768, NetworkResource.portStart("32768-40000"));
        assertEquals(Integer.MAX_VALUE, NetworkResource.portStart("x"));
    }

    @Test
    void aConnectionAlsoSeenByNameIsTheNamesOnly() throws Exception {
        MergedProfile merged = new MergedProfile();
        ProfileReader.read(new StringReader(Docs.simple(1, Docs.connect("db.internal", "10.0.0.7", 5432))), merged);
        NamedEndpoints named = NamedEndpoints.of(merged.behaviors());
        assertTrue(named.seenByName(NetworkResource.parse("tcp://10.0.0.7:5432")));
        assertFalse(named.seenByName(NetworkResource.parse("tcp://10.0.0.7:5433")));
        assertFalse(named.seenByName(NetworkResource.parse("udp://10.0.0.7:5432")));
        assertFalse(named.seenByName(NetworkResource.parse("tcp://10.0.0.8:5432")));
    }

    @Test
    void slugsAreTheLastSegmentsOfWhatTheRuleAllows() {
        assertEquals("app-data-docs", Slugs.path("/srv/app/data/docs/*"));
        assertEquals("model-Order", Slugs.className("com.acme.model.Order"));
        assertEquals("acme-model", Slugs.className("com.acme.model.*"));
        assertEquals("sha256sum--b-docs", Slugs.command("/usr/bin/sha256sum", List.of("-b", "/app/docs/*")));
        assertEquals("sha256sum-a.txt--c", Slugs.command("/usr/bin/sha256sum", List.of("/app/docs/a.txt", "-c", "x")));
        assertEquals("jdk", Slugs.sanitize("JDK"));
        assertEquals("root", Slugs.sanitize("/**"));
        assertEquals("a-b-c", Slugs.sanitize("--A..b__c--"));
        String long48 = Slugs.sanitize("x".repeat(10) + "-" + "word-".repeat(12) + "end");
        assertTrue(long48.length() <= 48 && long48.startsWith("word-") && long48.endsWith("-end"), long48);
    }

    @Test
    void idsAreCategoryAndSlugWithAContentHashOnlyAfterTheFirstCollision() {
        Drafts drafts = new Drafts();
        for (String path : List.of("/a/app/x", "/b/app/x")) {
            BehaviorKey k = new BehaviorKey(Category.FILE, Operation.READ, path, List.of());
            drafts.draft(Category.FILE, path, "app-x")
                    .add(k, new BehaviorStats(), Operation.READ, Selector.PATHS, path, false);
        }
        BehaviorKey dns = new BehaviorKey(Category.DNS, Operation.RESOLVE, "a.example", List.of());
        drafts.draft(Category.DNS, "a.example", "a.example")
                .add(dns, new BehaviorStats(), Operation.RESOLVE, Selector.NAMES, "a.example", false);
        Map<String, Draft> ids = RuleIds.assign(drafts.all());
        List<String> names = List.copyOf(ids.keySet());
        assertEquals(3, names.size(), names.toString());
        assertEquals("file-app-x", names.get(0));
        assertTrue(names.get(1).matches("file-app-x-[0-9a-f]{6}"), names.toString());
        assertEquals("dns-a-example", names.get(2));
        assertEquals(List.of("/a/app/x"), List.copyOf(ids.get("file-app-x").values(Selector.PATHS)));
        List<Draft> reversed = new ArrayList<>(drafts.all());
        Collections.reverse(reversed);
        assertEquals(ids.keySet(), RuleIds.assign(reversed).keySet()); // order-free
    }

    @Test
    void jdkHomesComeFromFilesOnlyARuntimeHas() {
        Set<BehaviorKey> keys = Set.of(
                new BehaviorKey(Category.FILE, Operation.READ, "/usr/lib/jvm/temurin-17/lib/modules", List.of()),
                new BehaviorKey(Category.FILE, Operation.READ, "/lib/modules", List.of()), // kernel modules, no home
                new BehaviorKey(Category.FILE, Operation.READ, "/opt/j*/lib/tzdb.dat", List.of()),
                new BehaviorKey(Category.NETWORK, Operation.CONNECT, "/opt/x/lib/modules", List.of()));
        assertEquals(Set.of("/usr/lib/jvm/temurin-17"), JdkHomes.find(keys));
        assertEquals("/usr/lib/jvm/temurin-17", JdkHomes.homeOf("/usr/lib/jvm/temurin-17/lib/a", JdkHomes.find(keys)));
    }

    @Test
    void learnedPathsUnderARootAreWrittenFromItAndGeneralizedOnlyBelowIt() {
        LearnedRoots roots = new LearnedRoots(Map.of(
                "java.home",
                List.of("/opt/jdk"),
                "app.classpath",
                List.of("/tmp/junit-123/app.jar"),
                "user.dir",
                List.of("/")));
        assertEquals("${java.home}/lib/**", roots.rootify("/opt/jdk/lib/**"));
        assertEquals("${app.classpath}", roots.rootify(roots.generalizeUnderRoot("/tmp/junit-123/app.jar")));
        assertEquals("/srv/x", roots.rootify("/srv/x")); // a root of "/" is never one
    }

    @Test
    void collapseLimitsKeepSecretsSystemTreesAndCodeHomesExact() {
        assertTrue(CollapseRules.collapsible("/srv/static"));
        assertTrue(CollapseRules.collapsible("/etc/ssl/certs"));
        assertFalse(CollapseRules.collapsible("/etc/app"));
        assertFalse(CollapseRules.collapsible("/usr/lib"));
        assertFalse(CollapseRules.collapsible("/srv/my-secrets"));
        assertFalse(CollapseRules.collapsible("/srv/.git"));
        assertFalse(CollapseRules.writeCollapsible("/etc/ssl/certs", new TreeSet<>()));
        assertFalse(CollapseRules.writeCollapsible("/opt/jdk/conf", new TreeSet<>(Set.of("/opt/jdk"))));
        assertTrue(CollapseRules.writeCollapsible("/srv/data", new TreeSet<>()));
    }

    @Test
    void generatedClassNamesBecomePatterns() {
        assertEquals("com.acme.Svc$$Lambda*", ClassNamePatterns.generalize("com.acme.Svc$$Lambda$14/0x0000000801234"));
        assertEquals("jdk.proxy2.$Proxy*", ClassNamePatterns.generalize("jdk.proxy2.$Proxy12"));
        assertEquals("com.acme.Plain", ClassNamePatterns.generalize("com.acme.Plain"));
    }
}
