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

    static void assertWidens(Policy from, Policy to) {
        assertTrue(PolicyDiff.diff(from, to).widens(), changes(from, to).toString());
    }

    static void assertDoesNotWiden(Policy from, Policy to) {
        assertFalse(PolicyDiff.diff(from, to).widens(), changes(from, to).toString());
    }

    static void assertFirstChange(Policy from, Policy to, String prefix) {
        assertTrue(
                changes(from, to).get(0).startsWith(prefix), changes(from, to).toString());
    }

    @Test
    void aComponentAddedToARuleWidens() throws Exception {
        Policy a = jndi(rule("env", "[app]"));
        Policy b = jndi(rule("env", "[app, '" + LOG4J + "']"));
        assertWidens(a, b);
        assertEquals(
                List.of("+ widened jndi/env: allow [lookup] schemes=[java] components=[app] -> allow [lookup] "
                        + "schemes=[java] components=[app, " + LOG4J + "]"),
                changes(a, b));
        assertDoesNotWiden(b, a);
        assertFirstChange(b, a, "  narrowed jndi/env");
    }

    @Test
    void aScopedRuleBecomingUnscopedWidensAndTheReverseNarrows() throws Exception {
        Policy scoped = jndi(rule("env", "[app]"));
        Policy everyone = jndi(rule("env", null));
        assertWidens(scoped, everyone);
        assertFirstChange(scoped, everyone, "+ widened jndi/env");
        assertDoesNotWiden(everyone, scoped);
        assertFirstChange(everyone, scoped, "  narrowed jndi/env");
    }

    @Test
    void aPermissionMovingToAnotherComponentWidens() throws Exception {
        Policy a = jndi(rule("env", "[app]"));
        // The same id given to another component.
        Policy moved = jndi(rule("env", "['" + HTTP + "']"));
        assertWidens(a, moved);
        assertFirstChange(a, moved, "+ changed jndi/env");
        // Regenerated: the rule's id follows its component, so one rule goes and another comes.
        Policy regenerated = jndi(rule("httpclient-jndi-java", "['" + HTTP + "']"));
        assertWidens(a, regenerated);
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
        assertWidens(two, any);
        assertDoesNotWiden(two, exact);
        assertWidens(exact, two);
        Policy lib = jndi(rule("env", "['/app/lib/*.jar']"));
        Policy one = jndi(rule("env", "['/app/lib/a.jar']"));
        assertDoesNotWiden(lib, one);
        assertWidens(one, lib);
        // A path and a package may name the same jar: neither is taken to cover the other.
        assertWidens(lib, any);
        assertWidens(any, lib);
    }

    /** {@code components} say who asks, not what: a JNDI rule with nothing else still allows every lookup. */
    @Test
    void lintCallsARuleWithOnlyComponentsBroad() throws Exception {
        Policy p = jndi("    - {id: any, components: [app]}\n");
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
