package dev.inlay.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyParserTest {
    static final Path EXAMPLE = Path.of("../docs/examples/policy.yaml");

    static String doc(String spec) {
        return "apiVersion: inlay.dev/v1\nkind: Policy\nmetadata:\n  name: t\nspec:\n" + spec;
    }

    static PolicyException error(String text) {
        return assertThrows(PolicyException.class, () -> PolicyParser.parse(text, "p.yaml"));
    }

    @Test
    void theDocumentedExampleParsesWithEveryCategory() throws Exception {
        Policy p = PolicyParser.parse(EXAMPLE);
        assertEquals("docservice", p.name());
        assertEquals(Mode.ENFORCE, p.mode());
        assertEquals(Action.KILL, p.defaultAction(Category.JNDI));
        for (Category c : Category.values()) assertFalse(p.rules(c).isEmpty(), c + " has rules in the example");
        Rule partner = p.rules(Category.NETWORK).stream()
                .filter(r -> r.id().equals("partner-api"))
                .findFirst()
                .orElseThrow();
        assertEquals(List.of("443", "8443-8445"), partner.values(Selector.PORTS));
        assertEquals(Map.of("team", "payments"), p.labels());
    }

    @Test
    void writerOutputParsesBackToAnEqualPolicy() throws Exception {
        Policy p = PolicyParser.parse(EXAMPLE);
        String yaml =
                PolicyWriter.toYaml(p, Map.of("app", List.of("seen 12 times", "in 3 replicas")), List.of("generated"));
        assertTrue(yaml.contains("    # seen 12 times\n"), yaml);
        Policy back = PolicyParser.parse(yaml, "written.yaml");
        assertEquals(p, back);
        assertEquals(
                yaml,
                PolicyWriter.toYaml(
                        back, Map.of("app", List.of("seen 12 times", "in 3 replicas")), List.of("generated")));
    }

    @Test
    void writerQuotesEverythingThatCouldBeMisread() throws Exception {
        Policy p = Policy.builder("odd \"name\"\n: #x")
                .rule(Rule.builder("r", Category.FILE)
                        .selector(
                                Selector.PATHS,
                                "/données/ünï code/*.txt",
                                "/a/#b: c/'q'",
                                "/x/\uffff\ud800\u0085/\ud83d\ude00")
                        .build())
                .build();
        assertEquals(p, PolicyParser.parse(PolicyWriter.toYaml(p), "w"));
    }

    @Test
    void omittedDefaultsDeny() throws Exception {
        Policy p = PolicyParser.parse(doc("  mode: monitor\n"), "p");
        for (Category c : Category.values()) assertEquals(Action.DENY, p.defaultAction(c));
        assertEquals(Mode.MONITOR, p.mode());
        assertTrue(p.explicitDefaults().isEmpty());
    }

    @Test
    void unknownFieldGivesPositionAndSuggestion() {
        PolicyException e = error(doc("  files:\n    - id: a\n      pathz: [\"/x\"]\n"));
        assertEquals(8, e.line());
        assertEquals(7, e.column());
        assertTrue(e.getMessage().startsWith("p.yaml:8:7: unknown field 'pathz' in a files rule"), e.getMessage());
        assertTrue(e.hint().contains("did you mean 'paths'?"), e.hint());
    }

    @Test
    void malformedYamlGivesPosition() {
        PolicyException e = error(doc("  files:\n    - id: a\n     paths: [\"/x\"\n"));
        assertTrue(e.line() >= 7, e.getMessage());
        assertTrue(e.column() > 0);
        assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            ignoreLeadingAndTrailingWhitespace = false,
            value = {
                "  files:\\n    - id: a\\n      paths: [\"relative/x\"]|not absolute",
                "  files:\\n    - id: a\\n      paths: [\"/a/**/b\"]|'**' is allowed only",
                "  files:\\n    - id: a\\n      paths: [\"/a/../b\"]|'..' segment",
                "  files:\\n    - id: a\\n      paths: [\"/a//b\"]|empty segment",
                "  files:\\n    - id: a\\n      paths: [\"/a/\"]|ends with '/'",
                "  files:\\n    - id: a\\n      paths: []|is empty",
                "  files:\\n    - id: a\\n      operations: [connect]\\n      paths: [\"/a\"]|'connect' is not an operation of files",
                "  files:\\n    - id: a\\n      action: permit\\n      paths: [\"/a\"]|unknown action 'permit'",
                "  files:\\n    - id: a b\\n      paths: [\"/a\"]|invalid rule id",
                "  files:\\n    - id: a\\n      paths: [\"/a\"]\\n    - id: a\\n      paths: [\"/b\"]|duplicate rule id 'a'",
                "  files:\\n    - paths: [\"/a\"]|missing field 'id'",
                "  network:\\n    - id: a\\n      cidrs: [\"10.0.0.0/33\"]|bad cidrs pattern",
                "  network:\\n    - id: a\\n      cidrs: [\"10.1\"]|bad cidrs pattern",
                "  network:\\n    - id: a\\n      cidrs: [\"fe80::1%eth0\"]|bad cidrs pattern",
                "  network:\\n    - id: a\\n      cidrs: [\"example.com\"]|bad cidrs pattern",
                "  network:\\n    - id: a\\n      ports: [\"9000-80\"]|bad ports pattern",
                "  network:\\n    - id: a\\n      ports: [70000]|bad ports pattern",
                "  network:\\n    - id: a\\n      hosts: [\"a.*.com\"]|'*' is allowed only as the first label",
                "  network:\\n    - id: a\\n      protocols: [sctp]|not tcp or udp",
                "  dns:\\n    - id: a\\n      names: [\"10.0.0.1\"]|an address, not a name",
                "  deserialization:\\n    - id: a\\n      classes: [\"java..util\"]|empty segment",
                "  mode: strict|unknown mode 'strict'",
                "  failOpen: maybe|failOpen must be true or false",
                "  defaults:\\n    filez: deny|did you mean 'files'?",
                "  files: {id: a}|must be a list of rules",
                "  files:\\n    - id: a\\n      paths: ['/a\\b']|must be followed by '*' or '\\'",
                "  files:\\n    - id: a\\n      paths: ['/a\\']|must be followed by '*' or '\\'",
                "  files:\\n    - id: a\\n      paths: ['/a/\\***']|'**' is allowed only",
                "  processes:\\n    - id: a\\n      args: ['a\\.b']|must be followed by '*' or '\\'",
                "  dns:\\n    - id: a\\n      names: ['\\\\.example.com']|not a valid DNS label",
                "  deserialization:\\n    - id: a\\n      classes: ['a\\b']|must be followed by '*' or '\\'",
            })
    void badDocumentsAreRefusedWithAClearMessage(String spec, String expected) {
        PolicyException e = error(doc(spec.replace("\\n", "\n")));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.line() > 0, "has a position: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("p.yaml:"), e.getMessage());
    }

    @Test
    void escapedMetacharactersAreLiteralAndRoundTrip() throws Exception {
        // YAML: single quotes and plain scalars keep the backslash; double quotes need it doubled
        Policy p = PolicyParser.parse(
                doc("  files:\n    - id: a\n      paths: ['/etc/\\*', /\\*\\*, \"/a\\\\\\\\b/\\\\**\", '/t/\\**']\n"
                        + "  dns:\n    - id: d\n      names: ['\\*.evil.example', 'a\\*b.example']\n"
                        + "  processes:\n    - id: p\n      executables: ['/usr/bin/\\*']\n      args: ['\\*\\*', '/etc/\\*']\n"
                        + "  deserialization:\n    - id: c\n      classes: ['\\*\\*', 'a.\\*.B', 'a.b\\\\c']\n"),
                "p");
        assertEquals(
                List.of("/etc/\\*", "/\\*\\*", "/a\\\\b/\\**", "/t/\\**"),
                p.rules(Category.FILE).get(0).values(Selector.PATHS));
        assertEquals(p, PolicyParser.parse(PolicyWriter.toYaml(p), "w"));
        assertEquals(p, CompiledPolicy.read(CompiledPolicy.write(p), "c"));
    }

    @Test
    void wrongHeaderFieldsAreRefused() {
        assertTrue(error("apiVersion: inlay.dev/v2\nkind: Policy\nmetadata: {name: x}\nspec: {}\n")
                .getMessage()
                .contains("unsupported apiVersion"));
        assertTrue(error("apiVersion: inlay.dev/v1\nkind: Pod\nmetadata: {name: x}\nspec: {}\n")
                .getMessage()
                .contains("kind is 'Pod'"));
        assertTrue(error("apiVersion: inlay.dev/v1\nkind: Policy\nspec: {}\n")
                .getMessage()
                .contains("missing field 'metadata'"));
        assertTrue(error("").getMessage().contains("empty"));
        assertTrue(
                error(doc("  mode: learn\n") + "---\n" + doc("")).getMessage().contains("more than one YAML document"));
        assertTrue(error(doc("  mode: learn\n  mode: enforce\n")).getMessage().contains("twice"));
        assertTrue(error("- a\n- b\n").getMessage().contains("must be a mapping"));
    }

    @Test
    void aliasBombIsRefusedQuickly() {
        StringBuilder y = new StringBuilder("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char p = (char) (c - 1);
            y.append(c)
                    .append(": &")
                    .append(c)
                    .append(" [*")
                    .append(p)
                    .append(",*")
                    .append(p)
                    .append(",*")
                    .append(p)
                    .append(",*")
                    .append(p)
                    .append(",*")
                    .append(p)
                    .append(",*")
                    .append(p)
                    .append(",*")
                    .append(p)
                    .append("]\n");
        }
        PolicyException e = error(y.toString());
        assertNotNull(e.getMessage());
    }

    @Test
    void unreadableFileIsAPolicyException() {
        PolicyException e =
                assertThrows(PolicyException.class, () -> PolicyParser.parse(Path.of("/nonexistent/p.yaml")));
        assertTrue(e.getMessage().contains("cannot read policy"), e.getMessage());
    }

    @Test
    void aDocumentNested10000LevelsDeepIsAClearErrorNotAStackOverflow() {
        for (String[] brackets : new String[][] {{"[", "]"}, {"{a: ", "}"}}) {
            String deep = doc("  files: " + brackets[0].repeat(10_000) + "x" + brackets[1].repeat(10_000) + "\n");
            PolicyException e = error(deep);
            assertTrue(e.getMessage().startsWith("p.yaml:6:"), e.getMessage());
            assertTrue(
                    e.getMessage().contains("nested more than " + PolicyParser.MAX_DEPTH + " levels deep"),
                    e.getMessage());
        }
        StringBuilder block = new StringBuilder(doc("  files:\n"));
        for (int level = 0; level < 200; level++)
            block.append("  ".repeat(level + 2)).append("a:\n");
        assertTrue(error(block.toString()).getMessage().contains("levels deep"));
    }

    @Test
    void aLongLineIsRefusedBeforeTheEngineScansIt() {
        // The engine scans a run without spaces in time quadratic in its length; the line limit keeps it linear.
        String scalar = doc("  files:\n    - {id: a, paths: [\"/" + "x".repeat(8_000_000) + "\"]}\n");
        PolicyException e = error(scalar);
        assertEquals(
                "p.yaml:7:65537: line 7 is 8000027 characters long, more than the limit of 65536 (hint: no value"
                        + " in a policy needs that much; put list items on lines of their own)",
                e.getMessage());
        assertTrue(error("# " + "c".repeat(8_000_000) + "\n" + doc(""))
                .getMessage()
                .contains("line 1 is 8000002"));
    }

    @Test
    void aLongValueOverManyShortLinesIsRefusedByTheValueLimit() {
        String folded = doc("  files:\n    - id: a\n      paths:\n        - \"/"
                + "abcdefghijklmnop\n          ".repeat(10_000) + "\"\n");
        PolicyException e = error(folded);
        assertTrue(e.getMessage().startsWith("p.yaml:9:11: a value of "), e.getMessage());
        assertTrue(e.getMessage().contains("characters, more than the limit of 65536"), e.getMessage());
        String fits = "/" + "p".repeat(60_000);
        Policy p = assertDoesNotThrow(
                () -> PolicyParser.parse(doc("  files:\n    - id: a\n      paths: [\"" + fits + "\"]\n"), "p.yaml"));
        assertEquals(List.of(fits), p.rules().get(0).values(Selector.PATHS));
    }

    @Test
    void anOversizeFileIsRefusedByItsSizeBeforeItIsRead(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path huge = dir.resolve("huge.yaml");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(400L * 1024 * 1024); // sparse: a comment-only policy of this size was read whole before
        }
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyParser.parse(huge));
        assertEquals(
                huge + ": the policy is 419430400 bytes, more than the limit of 33554432 (32 MiB) (hint: a policy"
                        + " of 100,000 rules is about 10 MB; check that this is the policy file)",
                e.getMessage());

        // A file that grows while it is read (the size said it fits): reading stops one byte past the limit.
        long[] served = {0};
        java.io.InputStream endless = new java.io.InputStream() {
            @Override
            public int read() {
                served[0]++;
                return '#';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) '#');
                served[0] += len;
                return len;
            }
        };
        PolicyException grew =
                assertThrows(PolicyException.class, () -> PolicyParser.readBounded(endless, 10, "g.yaml"));
        assertTrue(grew.getMessage().contains("more than the limit of 33554432"), grew.getMessage());
        assertEquals(PolicyParser.MAX_BYTES + 1, served[0]);
    }
}
