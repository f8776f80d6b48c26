package dev.inlay.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code components} selector in the language: every category takes it, bad values are refused with a position. */
class ComponentsSelectorTest {
    static final String EVERY_CATEGORY = """
              files:
                - id: log4j-files
                  paths: ["/var/log/**"]
                  components: ["pkg:maven/org.apache.logging.log4j/log4j-core", "pkg:maven/org.slf4j/*@2.*"]
              network:
                - {id: http, hosts: [api.example.com], components: ["pkg:maven/org.apache.httpcomponents/httpclient@4.5.14"]}
              dns:
                - {id: dns, names: [api.example.com], components: ["/app/lib/*.jar"]}
              processes:
                - {id: sum, executables: [/usr/bin/sha256sum], components: [app]}
              nativeLibraries:
                - {id: netty, paths: ["/tmp/*.so"], components: ["/app.jar!/BOOT-INF/lib/netty-*.jar"]}
              jndi:
                - {id: env, schemes: [java], components: [app]}
              deserialization:
                - {id: values, classes: ["java.util.*"], components: [app]}
              classDefinition:
                - {id: proxies, components: ["pkg:maven/net.bytebuddy/byte-buddy"]}
              drift:
                - {id: scripts, paths: ["/app/run/*.sh"], components: [app]}
              capabilities:
                - {id: unsafe, operations: [unsafe], callers: ["/app/lib/*.jar"], components: ["pkg:maven/io.netty/netty-common"]}
            """;

    @Test
    void everyCategoryTakesComponentsAndTheyRoundTrip() throws Exception {
        Policy p = PolicyParser.parse(PolicyParserTest.doc(EVERY_CATEGORY), "p.yaml");
        for (Category c : Category.values()) {
            assertEquals(1, p.rules(c).size(), c.toString());
            assertTrue(!p.rules(c).get(0).values(Selector.COMPONENTS).isEmpty(), c.toString());
        }
        assertEquals(
                List.of("pkg:maven/org.apache.logging.log4j/log4j-core", "pkg:maven/org.slf4j/*@2.*"),
                p.rules(Category.FILE).get(0).values(Selector.COMPONENTS));
        String yaml = PolicyWriter.toYaml(p);
        assertTrue(yaml.contains("      components:\n        - \"app\"\n"), yaml);
        assertEquals(p, PolicyParser.parse(yaml, "written.yaml"));
        assertEquals(p, CompiledPolicy.read(CompiledPolicy.write(p), "policy.bin"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|bad components pattern '': empty",
                "log4j-core|not a package URL (pkg:...), an absolute path, or 'app'",
                "pkg:maven|has no name",
                "pkg:/a/b|has an empty type",
                "pkg:Maven/a/b|type 'Maven' is not a package URL type",
                "pkg:maven/a@1/b|has '@' before the name",
                "pkg:maven/a/b@|has an empty version",
                "pkg:maven/a/b@1@2|more than one '@'",
                "pkg:maven/a//b|empty segment",
                "pkg:maven/a/|has an empty name",
                "pkg:maven/a/b@1?type=jar|has qualifiers or a subpath",
                "pkg:maven/a/b#sub|has qualifiers or a subpath",
                "'pkg:maven/a b/c'|contains a space",
                "relative/lib.jar|not a package URL",
                "/app/lib/|a jar path that is ends with '/'",
                "/app/**/x.jar|a jar path that is '**' is allowed only",
                "'${app}/lib/*.jar'|unknown root '${app}'",
                "'${user.dir}/'|ends with '/'",
                "APP|not a package URL",
            })
    void badComponentsAreRefusedWithAPositionAndAHint(String value, String expected) {
        String spec = "  jndi:\n    - id: a\n      components: [\"" + value + "\"]\n";
        PolicyException e = PolicyParserTest.error(PolicyParserTest.doc(spec));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(8, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("package URL without version"), "hint: " + e.getMessage());
    }

    @Test
    void anEmptyListAndAPathRuleWithOnlyComponentsAreRefused() {
        PolicyException empty =
                PolicyParserTest.error(PolicyParserTest.doc("  jndi:\n    - id: a\n      components: []\n"));
        assertTrue(empty.getMessage().contains("components is empty, so the rule can never match"), empty.getMessage());
        // Who asks says nothing of which files: a file rule still needs its paths.
        PolicyException noPaths =
                PolicyParserTest.error(PolicyParserTest.doc("  files:\n    - id: a\n      components: [app]\n"));
        assertTrue(noPaths.getMessage().contains("needs 'paths'"), noPaths.getMessage());
        PolicyException nativeNoPaths = PolicyParserTest.error(
                PolicyParserTest.doc("  nativeLibraries:\n    - id: a\n      components: [app]\n"));
        assertTrue(nativeNoPaths.getMessage().contains("needs 'paths'"), nativeNoPaths.getMessage());
    }

    @Test
    void theCompiledFormRefusesWhatTheParserRefuses() throws Exception {
        Policy good = Policy.builder("p")
                .rule(Rule.builder("a", Category.JNDI)
                        .selector(Selector.COMPONENTS, "pkg:maven/x/y@1?type=jar")
                        .build())
                .build();
        PolicyException e = assertThrows(
                PolicyException.class, () -> CompiledPolicy.read(CompiledPolicy.write(good), "policy.bin"));
        assertTrue(e.getMessage().contains("bad components value"), e.getMessage());
        Policy onlyComponents = Policy.builder("p")
                .rule(Rule.builder("a", Category.FILE)
                        .selector(Selector.COMPONENTS, "app")
                        .build())
                .build();
        e = assertThrows(
                PolicyException.class, () -> CompiledPolicy.read(CompiledPolicy.write(onlyComponents), "policy.bin"));
        assertTrue(e.getMessage().contains("has no paths"), e.getMessage());
    }

    @Test
    void patternsCheckTheShapesTheEngineMatches() {
        for (String ok : List.of(
                "app",
                "pkg:maven/org.apache.logging.log4j/log4j-core",
                "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                "pkg:maven/org.apache.logging.log4j/*",
                "pkg:npm/left-pad@1.*",
                "pkg:generic/x",
                "/app/lib/*.jar",
                "/app/**")) {
            assertEquals(null, Patterns.check(Selector.COMPONENTS, ok), ok);
        }
    }
}
