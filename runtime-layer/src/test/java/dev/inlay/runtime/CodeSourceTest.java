package dev.inlay.runtime;

import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CodeSourceTest {
    private static final URLStreamHandler SPRING_BOOT_LIKE = new URLStreamHandler() {
        @Override
        protected URLConnection openConnection(URL u) {
            throw new UnsupportedOperationException();
        }
    };

    private static ProtectionDomain at(String url) throws Exception {
        return new ProtectionDomain(new CodeSource(new URL(null, url, SPRING_BOOT_LIKE), (Certificate[]) null), null);
    }

    @Test
    void classesFromFilesJarsNestedJarsAndTheJdkAreOnDisk() throws Exception {
        assertTrue(Checker.fromFile(at("file:/app/classes/")));
        assertTrue(Checker.fromFile(at("jar:file:/app/app.jar!/")));
        assertTrue(Checker.fromFile(at("jar:file:/app/app.jar!/BOOT-INF/lib/h2.jar!/")));
        assertTrue(Checker.fromFile(at("nested:/app/app.jar/!BOOT-INF/lib/h2-2.2.224.jar")));
        assertTrue(Checker.fromFile(at("jar:nested:/app/app.jar/!BOOT-INF/lib/h2.jar!/")));
        assertTrue(Checker.fromFile(at("jrt:/java.base")));
    }

    /** The resource of a capability: where the calling code came from, as a path a policy's callers can name. */
    @Test
    void capabilityCallersArePathsAlsoForNestedJars() throws Exception {
        assertEquals(
                "/app/lib/netty-common-4.1.100.jar",
                Checker.codeSourcePath(url("file:/app/lib/netty-common-4.1.100.jar")));
        assertEquals("/app/classes", Checker.codeSourcePath(url("file:/app/classes/")));
        assertEquals("/app/my lib/x.jar", Checker.codeSourcePath(url("file:/app/my%20lib/x.jar")));
        assertEquals("/app/app.jar", Checker.codeSourcePath(url("jar:file:/app/app.jar!/")));
        assertEquals(
                "/app/app.jar/!BOOT-INF/lib/byte-buddy-1.14.18.jar",
                Checker.codeSourcePath(url("jar:file:/app/app.jar!/BOOT-INF/lib/byte-buddy-1.14.18.jar!/")));
        assertEquals(
                "/app/app.jar/!BOOT-INF/lib/byte-buddy-1.14.18.jar",
                Checker.codeSourcePath(url("nested:/app/app.jar/!BOOT-INF/lib/byte-buddy-1.14.18.jar")));
        assertEquals(
                "/app/app.jar/!BOOT-INF/lib/h2.jar",
                Checker.codeSourcePath(url("jar:nested:/app/app.jar/!BOOT-INF/lib/h2.jar!/")));
        assertEquals("http://attacker:8000/x.jar", Checker.codeSourcePath(url("http://attacker:8000/x.jar")));
        // What the generator writes for it is a valid callers pattern.
        assertEquals(
                null,
                dev.inlay.policy.Patterns.check(
                        dev.inlay.policy.Selector.CALLERS,
                        Checker.codeSourcePath(url("nested:/app/app.jar/!BOOT-INF/lib/byte-buddy-1.14.18.jar"))));
    }

    /**
     * The agent's location of a nested jar is the one the component map writes for the scanner's location
     * (docs/COVERAGE.md, "Attribution"), for both of Spring Boot's URL forms; class directories are the application.
     */
    @Test
    void nestedJarsAreWhereTheComponentMapPutsThemAndClassDirectoriesAreTheApplication() throws Exception {
        String scanned = dev.inlay.model.ComponentMap.location("/app/app.jar!/BOOT-INF/lib/h2-2.2.224.jar");
        for (String form : new String[] {
            "jar:nested:/app/app.jar/!BOOT-INF/lib/h2-2.2.224.jar!/",
            "nested:/app/app.jar/!BOOT-INF/lib/h2-2.2.224.jar",
            "jar:file:/app/app.jar!/BOOT-INF/lib/h2-2.2.224.jar!/"
        }) {
            String location = Checker.codeSourcePath(url(form));
            assertEquals(scanned, location, form);
            assertFalse(Attribution.directory(form, location), form);
        }
        for (String form : new String[] {
            "file:/app/classes/",
            "jar:nested:/app/app.jar/!BOOT-INF/classes/!/",
            "jar:file:/app/app.jar!/BOOT-INF/classes!/"
        }) {
            assertTrue(Attribution.directory(form, Checker.codeSourcePath(url(form))), form);
        }
        assertFalse(Attribution.directory("file:/app/lib/x.jar", "/app/lib/x.jar"));
    }

    private static URL url(String url) throws Exception {
        return new URL(null, url, SPRING_BOOT_LIKE);
    }

    @Test
    void bytesFromAnywhereElseAreNot() throws Exception {
        assertFalse(Checker.fromFile(null));
        assertFalse(Checker.fromFile(new ProtectionDomain(null, null)));
        assertFalse(Checker.fromFile(at("http://attacker:8000/Exploit.class")));
        assertFalse(Checker.fromFile(at("jar:http://attacker:8000/x.jar!/")));
    }
}
