package dev.inlay.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A component names itself in events by package name and version, and a policy names it without the version. */
class ComponentTest {
    @Test
    void aPackageUrlGivesItsNameAndVersion() {
        Component log4j = new Component("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "/app/lib/l.jar");
        assertTrue(log4j.isPackage());
        assertEquals("log4j-core", log4j.name());
        assertEquals("2.14.1", log4j.version());
        assertEquals("log4j-core 2.14.1", log4j.toString());
        assertEquals("pkg:maven/org.apache.logging.log4j/log4j-core", Component.withoutVersion(log4j.id));
    }

    @Test
    void qualifiersAndSubpathAreNotPartOfTheVersion() {
        String id = "pkg:maven/io.netty/netty-transport@4.1.100.Final?classifier=linux-x86_64#sub/dir";
        assertEquals("4.1.100.Final", Component.version(id));
        assertEquals("netty-transport", Component.name(id));
        assertEquals("pkg:maven/io.netty/netty-transport", Component.withoutVersion(id));
    }

    @Test
    void aPurlWithoutVersionAPathAndTheApplicationHaveNone() {
        assertNull(Component.version("pkg:maven/g/a"));
        assertEquals("pkg:maven/g/a", Component.withoutVersion("pkg:maven/g/a"));
        Component jar = new Component("/app/lib/tool@2.jar", "/app/lib/tool@2.jar");
        assertFalse(jar.isPackage());
        assertNull(jar.version());
        assertEquals("/app/lib/tool@2.jar", jar.toString());
        assertEquals("app", new Component(Component.APPLICATION, "/app/classes").toString());
        assertThrows(IllegalArgumentException.class, () -> new Component("", "/x"));
    }

    @Test
    void theComponentIsPartOfABehaviorsIdentityAndItsLine() {
        Behavior jvm = new Behavior("jndi", "lookup", "ldap://x/a");
        Behavior log4j = new Behavior("jndi", "lookup", "ldap://x/a");
        log4j.component = "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1";
        assertFalse(jvm.key().equals(log4j.key()));
        String line = log4j.writeFields(JsonLine.object()).end();
        assertTrue(line.contains("\"component\":\"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1\""), line);
        assertFalse(jvm.writeFields(JsonLine.object()).end().contains("component"));
    }
}
