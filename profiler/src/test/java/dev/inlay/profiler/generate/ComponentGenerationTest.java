package dev.inlay.profiler.generate;

import dev.inlay.model.Component;
import dev.inlay.policy.Action;
import dev.inlay.policy.Category;
import dev.inlay.policy.Operation;
import dev.inlay.policy.Policy;
import dev.inlay.policy.PolicyParser;
import dev.inlay.policy.Rule;
import dev.inlay.policy.Selector;
import dev.inlay.policy.engine.PolicyEngine;
import dev.inlay.profiler.Docs;
import dev.inlay.profiler.profile.BehaviorKey;
import dev.inlay.profiler.profile.MergedProfile;
import dev.inlay.profiler.profile.MergedProfileWriter;
import dev.inlay.profiler.profile.ProfileReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.inlay.profiler.Docs.behavior;
import static dev.inlay.profiler.Docs.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Learning per component (issue 22): behaviors keep who asked, generation scopes rules by it. */
class ComponentGenerationTest {
    static final String LOG4J = "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1";
    static final String LOG4J_OLD = "pkg:maven/org.apache.logging.log4j/log4j-core@2.13.0";
    static final String HTTP = "pkg:maven/org.apache.httpcomponents/httpclient@4.5.14";
    static final String T = "2026-11-23T17:01:00.000Z";

    /** A behavior line as the agent writes it, with the component that asked. */
    static String by(String component, String behavior) {
        return behavior.substring(0, behavior.length() - 1) + ",\"component\":\"" + component + "\"}";
    }

    static MergedProfile merged(String... documents) throws IOException {
        MergedProfile merged = new MergedProfile();
        ProfileReader.read(new StringReader(String.join("\n", documents) + "\n"), merged);
        return merged;
    }

    static PolicyGenerator.Generated generate(String... behaviors) throws IOException {
        return PolicyGenerator.generate(merged(Docs.simple(1, behaviors)), PolicyGenerator.Options.defaults());
    }

    static Rule rule(Policy p, String id) {
        return p.rules().stream()
                .filter(r -> r.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no rule " + id + " in " + p.rules()));
    }

    @Test
    void profilesMergePerComponentAndKeepItWhenWrittenAndReadBack() throws IOException {
        MergedProfile m = merged(
                Docs.simple(1, file("read", "/etc/hosts"), by("app", file("read", "/etc/hosts"))),
                Docs.simple(2, by(LOG4J, file("read", "/etc/hosts")), by("app", file("read", "/etc/hosts"))));
        List<BehaviorKey> keys = new ArrayList<>(m.behaviors().keySet());
        assertEquals(3, keys.size(), keys.toString());
        assertNull(keys.get(0).component(), "the JVM itself sorts first");
        assertEquals("app", keys.get(1).component());
        assertEquals(LOG4J, keys.get(2).component());
        assertEquals(2, m.behaviors().get(keys.get(1)).count(), "app's read seen in both documents");
        assertEquals(2, m.behaviors().get(keys.get(1)).runs());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MergedProfileWriter.write(m, out);
        String written = out.toString(StandardCharsets.UTF_8);
        assertTrue(written.contains("\"component\":\"" + LOG4J + "\""), written);
        MergedProfile back = merged(written.strip());
        assertEquals(m.behaviors().keySet(), back.behaviors().keySet());
    }

    /**
     * The exact rule: unscoped when the JVM itself needed it or every component of the profile did (two or more);
     * else scoped to those that did, by package URL without version.
     */
    @Test
    void rulesAreScopedToTheComponentsThatNeededThem() throws Exception {
        PolicyGenerator.Generated g = generate(
                file("read", "/usr/share/zoneinfo/UTC"), // the JVM itself
                by("app", file("read", "/usr/share/zoneinfo/UTC")),
                by("app", file("read", "/etc/hosts")),
                by(LOG4J, file("read", "/etc/hosts")),
                by(HTTP, file("read", "/etc/hosts")), // every component: for everyone
                by(LOG4J, file("write", "/var/log/app.log")),
                by(LOG4J_OLD, file("write", "/var/log/app.log")), // another version of the same package
                by(HTTP, Docs.connect("api.example.com", "93.184.216.34", 443)),
                by("app", behavior("jndi", "lookup", "java:comp/env/jdbc/ds", 1, T, T)));
        Policy p = g.policy();
        String yaml = g.toYaml();
        Policy parsed = PolicyParser.parse(yaml, "generated.yaml");
        assertEquals(p, parsed, yaml);

        Rule zone = rule(p, "file-share-zoneinfo-utc");
        assertTrue(zone.values(Selector.COMPONENTS).isEmpty(), zone.toString());
        Rule hosts = rule(p, "file-etc-hosts");
        assertTrue(hosts.values(Selector.COMPONENTS).isEmpty(), hosts.toString());
        Rule log = rule(p, "log4j-core-file-var-log-app-log");
        assertEquals(List.of("pkg:maven/org.apache.logging.log4j/log4j-core"), log.values(Selector.COMPONENTS));
        assertTrue(yaml.contains("# asked by log4j-core 2.13.0, log4j-core 2.14.1\n"), yaml);
        Rule jndi = rule(p, "app-jndi-java");
        assertEquals(List.of("app"), jndi.values(Selector.COMPONENTS));
        assertEquals(
                List.of("pkg:maven/org.apache.httpcomponents/httpclient"),
                p.rules(Category.NETWORK).get(0).values(Selector.COMPONENTS));
        assertTrue(
                p.rules(Category.NETWORK).get(0).id().startsWith("httpclient-network-"),
                p.rules().toString());
        assertTrue(
                g.header().stream().anyMatch(h -> h.contains("3 components seen: app, pkg:maven/")),
                g.header().toString());

        // What it means: a log4j JNDI lookup is denied though the application's own is allowed.
        PolicyEngine engine = PolicyEngine.compile(parsed);
        Component log4j = new Component(LOG4J, "/app/lib/log4j-core-2.14.1.jar");
        Component app = new Component("app", "/app/classes");
        Component http = new Component(HTTP, "/app/lib/httpclient-4.5.14.jar");
        assertEquals(Action.ALLOW, engine.jndi("java:comp/env/jdbc/ds", app).action());
        assertEquals(Action.DENY, engine.jndi("java:comp/env/jdbc/ds", log4j).action());
        assertEquals(Action.DENY, engine.jndi("java:comp/env/jdbc/ds", null).action());
        assertEquals(
                Action.ALLOW, engine.file(Operation.READ, "/etc/hosts", log4j).action());
        assertEquals(
                Action.ALLOW,
                engine.file(Operation.WRITE, "/var/log/app.log", log4j).action());
        assertEquals(
                Action.DENY,
                engine.file(Operation.WRITE, "/var/log/app.log", http).action());
        assertEquals(
                Action.DENY,
                engine.network(Operation.CONNECT, false, "api.example.com", null, 443, log4j)
                        .action());
        assertEquals(
                Action.ALLOW,
                engine.network(Operation.CONNECT, false, "api.example.com", null, 443, http)
                        .action());
    }

    /** One component alone is not "every component": its rules stay scoped, so other code gets nothing. */
    @Test
    void aSingleComponentKeepsItsRulesScoped() throws IOException {
        Policy p = generate(by("app", behavior("jndi", "lookup", "java:comp/env/x", 1, T, T)))
                .policy();
        assertEquals(List.of("app"), p.rules(Category.JNDI).get(0).values(Selector.COMPONENTS));
    }

    /** One library's many files collapse for it alone; another's single file in that directory stays exact. */
    @Test
    void generalizationStaysWithinEachComponent() throws IOException {
        List<String> behaviors = new ArrayList<>();
        for (int i = 0; i < 10; i++) behaviors.add(by(LOG4J, file("read", "/opt/conf/part-" + i + ".xml")));
        behaviors.add(by("app", file("read", "/opt/conf/app.yml")));
        Policy p = generate(behaviors.toArray(new String[0])).policy();
        List<String> seen = new ArrayList<>();
        for (Rule r : p.rules(Category.FILE)) seen.add(r.values(Selector.PATHS) + " " + r.values(Selector.COMPONENTS));
        assertTrue(seen.contains("[/opt/conf/*] [pkg:maven/org.apache.logging.log4j/log4j-core]"), seen.toString());
        assertTrue(seen.contains("[/opt/conf/app.yml] [app]"), seen.toString());
        assertEquals(2, seen.size(), seen.toString());
    }

    /** A profile without components generates what it did before: no selector, the same ids, no new comments. */
    @Test
    void aProfileWithoutComponentsIsUnchanged() throws IOException {
        PolicyGenerator.Generated g =
                generate(file("read", "/etc/hosts"), behavior("jndi", "lookup", "java:comp/env/x", 1, T, T));
        for (Rule r : g.policy().rules())
            assertTrue(r.values(Selector.COMPONENTS).isEmpty(), r.toString());
        String yaml = g.toYaml();
        assertTrue(!yaml.contains("asked by") && !yaml.contains("components"), yaml);
        assertEquals(
                List.of("file-etc-hosts", "jndi-java"),
                g.policy().rules().stream().map(Rule::id).toList());
    }

    /** The output is reviewable and stable: rules for everyone first, then each component's together, same bytes. */
    @Test
    void orderIsStableAndGroupedByComponent() throws IOException {
        String[] behaviors = {
            by(HTTP, file("read", "/b")),
            by("app", file("read", "/c")),
            file("read", "/z"),
            by(HTTP, file("read", "/a")),
            by("app", file("read", "/d")),
        };
        PolicyGenerator.Generated g = generate(behaviors);
        assertEquals(
                List.of("file-z", "app-file-c", "app-file-d", "httpclient-file-a", "httpclient-file-b"),
                g.policy().rules().stream().map(Rule::id).toList());
        String[] reversed = {behaviors[4], behaviors[3], behaviors[2], behaviors[1], behaviors[0]};
        assertEquals(g.toYaml(), generate(reversed).toYaml());
    }
}
