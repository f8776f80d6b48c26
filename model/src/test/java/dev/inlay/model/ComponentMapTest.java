package dev.inlay.model;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComponentMapTest {
    private static Map<String, String> read(String text) throws IOException {
        return ComponentMap.read(new BufferedReader(new StringReader(text)));
    }

    @Test
    void writesSortedLinesThatReadBackTheSame() throws IOException {
        Map<String, String> map = Map.of(
                "/app/lib/b.jar", "pkg:maven/g/b@1",
                "/app/app.jar/!BOOT-INF/lib/a.jar", "pkg:maven/g/a@2");
        String text = ComponentMap.write(map);
        assertTrue(
                text.endsWith("/app/app.jar/!BOOT-INF/lib/a.jar\tpkg:maven/g/a@2\n/app/lib/b.jar\tpkg:maven/g/b@1\n"),
                text);
        assertEquals(map, read(text));
    }

    @Test
    void theScannersNestedLocationIsTheAgents() {
        assertEquals("/app/app.jar/!BOOT-INF/lib/x.jar", ComponentMap.location("/app/app.jar!/BOOT-INF/lib/x.jar"));
        assertEquals("/app/lib/x.jar", ComponentMap.location("/app/lib/x.jar"));
    }

    @Test
    void aLineWithoutOneTabIsRefusedByNumber() {
        IOException e = assertThrows(IOException.class, () -> read("# c\n/a.jar\tpkg:maven/g/a@1\n/b.jar\n"));
        assertEquals("line 3 is not 'location<TAB>package URL': /b.jar", e.getMessage());
        assertThrows(IOException.class, () -> read("/a.jar\tx\ty\n"));
        assertThrows(IOException.class, () -> read("\tpkg:maven/g/a@1\n"));
        assertThrows(IllegalArgumentException.class, () -> ComponentMap.write(Map.of("/a\tb.jar", "x")));
    }
}
