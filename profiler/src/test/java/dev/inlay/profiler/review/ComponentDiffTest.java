package dev.inlay.profiler.review;

import dev.inlay.policy.Policy;
import dev.inlay.policy.PolicyParser;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code policy diff} on the {@code components} selector: more code allowed is a widening (issue 22). */
class ComponentDiffTest {
    static final String LOG4J = "pkg:maven/org.apache.logging.log4j/log4j-core";
    static final String HTTP = "pkg:maven/org.apache.httpcomponents/httpclient";

    static Policy jndi(String rule) throws Exception {
        return PolicyParser.parse(
                "apiVersion: inlay.dev/v1\nkind: Policy\nmetadata: {name: t}\nspec:\n  jndi:\n" + rule, "p.yaml");
    }

    static String rule(String id, String components) {
        return "    - {id: " + id + ", schemes: [java]" + (components == null ? "" : ", components: " + components)
                + "}\n";
    }

    static List<String> changes(Policy a, Policy b) {
        return PolicyDiff.diff(a, b).changes().stream()
                .map(PolicyDiff.Change::describe)
                .toList();
    }

    @Test
    void aComponentAddedToARuleWidens() throws Exception {
        Policy a = jndi(rule("env", "[app]"));
        Policy b = jndi(rule("env", "[app, '" + LOG4J + "']"));
        assertTrue(PolicyDiff.diff(a, b).widens(), changes(a, b).toString());
        assertEquals(
                List.of("+ widened jndi/env: allow [lookup] schemes=[java] components=[app] -> allow [lookup] "
                        + "schemes=[java] components=[app, " + LOG4J + "]"),
                changes(a, b));
        assertFalse(PolicyDiff.diff(b, a).widens(), changes(b, a).toString());
        assertTrue(
                changes(b, a).get(0).startsWith("  narrowed jndi/env"),
                changes(b, a).toString());
    }

    @Test
    void aScopedRuleBecomingUnscopedWidensAndTheReverseNarrows() throws Exception {
        Policy scoped = jndi(rule("env", "[app]"));
        Policy everyone = jndi(rule("env", null));
        assertTrue(
                PolicyDiff.diff(scoped, everyone).widens(),
                changes(scoped, everyone).toString());
        assertTrue(changes(scoped, everyone).get(0).startsWith("+ widened jndi/env"));
        assertFalse(
                PolicyDiff.diff(everyone, scoped).widens(),
                changes(everyone, scoped).toString());
        assertTrue(changes(everyone, scoped).get(0).startsWith("  narrowed jndi/env"));
    }

    @Test
    void aPermissionMovingToAnotherComponentWidens() throws Exception {
        Policy a = jndi(rule("env", "[app]"));
        // The same id given to another component.
        Policy moved = jndi(rule("env", "['" + HTTP + "']"));
        assertTrue(PolicyDiff.diff(a, moved).widens(), changes(a, moved).toString());
        assertTrue(
                changes(a, moved).get(0).startsWith("+ changed jndi/env"),
                changes(a, moved).toString());
        // Regenerated: the rule's id follows its component, so one rule goes and another comes.
        Policy regenerated = jndi(rule("httpclient-jndi-java", "['" + HTTP + "']"));
        assertTrue(
                PolicyDiff.diff(a, regenerated).widens(),
                changes(a, regenerated).toString());
        assertTrue(
                changes(a, regenerated)
                        .contains("+ added jndi/httpclient-jndi-java: allow [lookup] schemes=[java] " + "components=["
                                + HTTP + "]"),
                changes(a, regenerated).toString());
    }

    @Test
    void versionsAndPathsCoverAsTheEngineMatches() throws Exception {
        Policy any = jndi(rule("env", "['" + LOG4J + "']"));
        Policy two = jndi(rule("env", "['" + LOG4J + "@2.*']"));
        Policy exact = jndi(rule("env", "['" + LOG4J + "@2.17.1']"));
        assertFalse(PolicyDiff.diff(any, two).widens(), "some versions of a package narrow every version");
        assertTrue(PolicyDiff.diff(two, any).widens());
        assertFalse(PolicyDiff.diff(two, exact).widens());
        assertTrue(PolicyDiff.diff(exact, two).widens());
        Policy lib = jndi(rule("env", "['/app/lib/*.jar']"));
        Policy one = jndi(rule("env", "['/app/lib/a.jar']"));
        assertFalse(PolicyDiff.diff(lib, one).widens());
        assertTrue(PolicyDiff.diff(one, lib).widens());
        // A path and a package may name the same jar: neither is taken to cover the other.
        assertTrue(PolicyDiff.diff(lib, any).widens());
        assertTrue(PolicyDiff.diff(any, lib).widens());
    }

    /** {@code components} say who asks, not what: a JNDI rule with nothing else still allows every lookup. */
    @Test
    void lintCallsARuleWithOnlyComponentsBroad() throws Exception {
        Policy p = PolicyParser.parse(
                "apiVersion: inlay.dev/v1\nkind: Policy\nmetadata: {name: t}\nspec:\n  jndi:\n"
                        + "    - {id: any, components: [app]}\n",
                "p.yaml");
        List<PolicyLinter.Finding> findings = PolicyLinter.permissions(p.rules().get(0));
        assertTrue(
                findings.stream()
                        .anyMatch(f -> f.kind() == PolicyLinter.Kind.BROAD
                                && f.message().equals("no selectors: matches everything in jndi for its components")),
                findings.toString());
    }

    @Test
    void anUnchangedScopedRuleIsNoChange() throws Exception {
        Policy a = jndi(rule("env", "[app, '" + LOG4J + "']"));
        assertEquals(List.of(), changes(a, jndi(rule("env", "[app, '" + LOG4J + "']"))));
        // Listed in another order: the same components, the same meaning.
        List<String> reordered = changes(a, jndi(rule("env", "['" + LOG4J + "', app]")));
        assertEquals(List.of("  changed jndi/env: rewritten, same meaning"), reordered);
    }
}
