package dev.inlay.policy;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompiledPolicyTest {
    static PolicyException refused(byte[] bytes) {
        return assertThrows(PolicyException.class, () -> CompiledPolicy.read(bytes, "policy.bin"));
    }

    @Test
    void theDocumentedExampleSurvivesCompilation() throws Exception {
        Policy example = PolicyParser.parse(PolicyParserTest.EXAMPLE);
        Policy read = CompiledPolicy.read(CompiledPolicy.write(example), "policy.bin");
        assertEquals(example, read);
        assertEquals(example.labels(), read.labels());
        assertEquals(example.explicitDefaults(), read.explicitDefaults());
        assertEquals(example.rules(), read.rules(), "rules keep document order");
    }

    @Test
    void emptyArgumentListsAndDefaultsWithoutRulesSurvive() throws Exception {
        Policy p = PolicyParser.parse(PolicyParserTest.doc("""
                  mode: monitor
                  failOpen: true
                  defaults: {network: allow}
                  processes:
                    - id: bare-ls
                      executables: [/bin/ls]
                      args: []
                """), "p.yaml");
        Policy read = CompiledPolicy.read(CompiledPolicy.write(p), "policy.bin");
        assertEquals(p, read);
        assertEquals(List.of(), read.rules().get(0).values(Selector.ARGS));
        assertTrue(read.failOpen());
        assertEquals(Mode.MONITOR, read.mode());
    }

    @Test
    void everyTruncationIsRefused() throws Exception {
        byte[] whole = CompiledPolicy.write(PolicyParser.parse(PolicyParserTest.EXAMPLE));
        for (int length = 0; length < whole.length; length++) {
            PolicyException e = refused(Arrays.copyOf(whole, length));
            assertTrue(e.getMessage().startsWith("policy.bin"), e.getMessage());
        }
    }

    @Test
    void trailingBytesAreRefused() throws Exception {
        byte[] whole = CompiledPolicy.write(PolicyParser.parse(PolicyParserTest.EXAMPLE));
        assertTrue(refused(Arrays.copyOf(whole, whole.length + 1)).getMessage().contains("1 bytes after the policy"));
    }

    @Test
    void anotherFileOrFormatIsRefusedByName() throws IOException {
        assertTrue(
                refused("apiVersion: inlay.dev/v1\n".getBytes()).getMessage().contains("not a compiled inlay policy"));
        byte[] future = header(CompiledPolicy.FORMAT + 1);
        assertTrue(refused(future).getMessage().contains("format 2, this agent reads 1"));
    }

    @Test
    void whatTheParserRefusesTheReaderRefusesToo() throws IOException {
        // A file rule whose path is not absolute, written by hand in the compiled form.
        assertTrue(refused(oneRule("r", "files", "read", "paths", "relative/path"))
                .getMessage()
                .contains("bad paths value 'relative/path'"));
        assertTrue(refused(oneRule("r", "files", "connect", "paths", "/a"))
                .getMessage()
                .contains("connect in a files rule"));
        assertTrue(refused(oneRule("r", "files", "read", "hosts", "a.b"))
                .getMessage()
                .contains("hosts in rule r"));
        assertTrue(refused(oneRule("r r", "files", "read", "paths", "/a"))
                .getMessage()
                .contains("invalid rule id"));
    }

    @Test
    void aHugeCountDoesNotAllocate() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(header(CompiledPolicy.FORMAT));
        out.writeUTF("p");
        out.writeInt(Integer.MAX_VALUE); // labels
        assertTrue(refused(bytes.toByteArray()).getMessage().contains("a count of 2147483647"));
    }

    private static byte[] header(int format) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(CompiledPolicy.MAGIC);
        out.writeInt(format);
        return bytes.toByteArray();
    }

    private static byte[] oneRule(String id, String category, String operation, String selector, String value)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(header(CompiledPolicy.FORMAT));
        out.writeUTF("p");
        out.writeInt(0); // labels
        out.writeUTF("enforce");
        out.writeBoolean(false);
        out.writeInt(0); // defaults
        out.writeInt(1);
        out.writeUTF(id);
        out.writeUTF(category);
        out.writeUTF("allow");
        out.writeInt(1);
        out.writeUTF(operation);
        out.writeInt(1);
        out.writeUTF(selector);
        out.writeInt(1);
        out.writeUTF(value);
        return bytes.toByteArray();
    }
}
