package dev.inlay.runtime;

import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;

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

    @Test
    void bytesFromAnywhereElseAreNot() throws Exception {
        assertFalse(Checker.fromFile(null));
        assertFalse(Checker.fromFile(new ProtectionDomain(null, null)));
        assertFalse(Checker.fromFile(at("http://attacker:8000/Exploit.class")));
        assertFalse(Checker.fromFile(at("jar:http://attacker:8000/x.jar!/")));
    }
}
