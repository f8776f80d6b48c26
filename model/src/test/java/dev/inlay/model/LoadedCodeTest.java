package dev.inlay.model;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadedCodeTest {
    @Test
    void codeSourceUrlsBecomeTheSbomsLocations() {
        assertEquals("/app/lib/x.jar", LoadedCode.location("file:/app/lib/x.jar"));
        assertEquals("/app/classes/", LoadedCode.location("file:/app/classes/"));
        assertEquals("/app/lib dir/x.jar", LoadedCode.location("file:/app/lib%20dir/x.jar"));
        assertEquals("/app/x.jar", LoadedCode.location("file:///app/x.jar"));
        // Spring Boot before 3.2, and Tomcat-style jar URLs
        assertEquals(
                "/app/app.jar!/BOOT-INF/lib/log4j-core-2.14.1.jar",
                LoadedCode.location("jar:file:/app/app.jar!/BOOT-INF/lib/log4j-core-2.14.1.jar!/"));
        assertEquals(
                "/app/app.jar!/BOOT-INF/classes", LoadedCode.location("jar:file:/app/app.jar!/BOOT-INF/classes!/"));
        // Spring Boot 3.2 and later: the outer jar written as a directory
        assertEquals(
                "/app/app.jar!/BOOT-INF/lib/x.jar",
                LoadedCode.location("jar:nested:/app/app.jar/!BOOT-INF/lib/x.jar!/"));
        assertEquals("/app/app.jar!/BOOT-INF/classes/", LoadedCode.location("nested:/app/app.jar/!BOOT-INF/classes/"));
        // as Spring Boot 3.3.5's launcher gives the application's own classes (seen under the agent)
        assertEquals(
                "/app/app.jar!/BOOT-INF/classes/", LoadedCode.location("jar:nested:/app/app.jar/!BOOT-INF/classes/!/"));
        assertEquals("/app/ü.jar", LoadedCode.location("file:/app/%C3%BC.jar"));
        assertNull(LoadedCode.location("jrt:/java.base"));
        assertNull(LoadedCode.location("http://example.com/x.jar"));
        assertNull(LoadedCode.location("file:relative.jar"));
        assertNull(LoadedCode.location(null));
    }

    @Test
    void sourcesAreChunkedUnderTheLineLimitAndNoneIsLost() {
        Map<String, Set<String>> sources = new LinkedHashMap<>();
        for (int j = 0; j < 40; j++) {
            Set<String> packages = new TreeSet<>();
            // one source alone larger than a line: split into several entries of the same location
            for (int p = 0; p < (j == 7 ? 2000 : 20); p++) packages.add("org.example.lib" + j + ".pkg" + p);
            sources.put("/app/lib/library-" + j + ".jar", packages);
        }
        List<String> lines = LoadedCode.lines("0.1.0", "run-1", 3, true, sources, 8192);
        assertTrue(lines.size() > 3, "" + lines.size());
        int packages = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= 8192, "line " + i);
            assertTrue(
                    line.startsWith(
                            "{\"inlay\":\"loaded\",\"schema\":1,\"agent\":\"0.1.0\",\"run\":\"run-1\",\"seq\":3,"
                                    + "\"chunk\":" + i + ",\"chunks\":" + lines.size()
                                    + ",\"final\":true,\"sources\":[{\"location\":"),
                    line);
            packages += line.split("\\.pkg").length - 1;
        }
        assertEquals(39 * 20 + 2000, packages);
        assertEquals(
                List.of("{\"inlay\":\"loaded\",\"schema\":1,\"agent\":\"a\",\"run\":\"r\",\"seq\":0,\"chunk\":0,"
                        + "\"chunks\":1,\"final\":false,\"sources\":[]}"),
                LoadedCode.lines("a", "r", 0, false, Map.of(), 8192));
    }
}
