package dev.inlay.model;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JdkLinkListTest {
    private static final byte[] RELEASE_17 = "JAVA_VERSION=\"17.0.15\"\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] RELEASE_25 = "JAVA_VERSION=\"25.0.1\"\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void eachJdkFindsItsOwnSectionOnlyForTheSameHomeAndRelease() {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(JdkLinkList.section(
                "/usr/lib/jvm/java-17-openjdk-amd64",
                RELEASE_17,
                List.of("/conf/net.properties", "/lib/security/cacerts", "/conf/é")));
        file.writeBytes(JdkLinkList.section("/opt/java/openjdk", RELEASE_25, List.of()));
        byte[] bytes = file.toByteArray();
        assertArrayEquals(
                new String[] {"/conf/net.properties", "/lib/security/cacerts", "/conf/é"},
                JdkLinkList.links(bytes, "/usr/lib/jvm/java-17-openjdk-amd64", RELEASE_17));
        assertArrayEquals(new String[0], JdkLinkList.links(bytes, "/opt/java/openjdk", RELEASE_25));
        // another JDK at the same path, or the same JDK elsewhere: walked
        assertNull(JdkLinkList.links(bytes, "/usr/lib/jvm/java-17-openjdk-amd64", RELEASE_25));
        assertNull(JdkLinkList.links(bytes, "/usr/lib/jvm/java-17-openjdk-amd6", RELEASE_17));
        assertNull(JdkLinkList.links(bytes, "/opt/java/openjdk", null));
        assertNull(JdkLinkList.links(null, "/opt/java/openjdk", RELEASE_25));
    }

    @Test
    void aDamagedFileGivesNoLinks() {
        byte[] section = JdkLinkList.section("/opt/java/openjdk", RELEASE_25, List.of("/lib/security/cacerts"));
        for (int cut = 0; cut < section.length; cut++) {
            assertNull(JdkLinkList.links(Arrays.copyOf(section, cut), "/opt/java/openjdk", RELEASE_25), "cut " + cut);
        }
        byte[] huge = section.clone();
        huge[huge.length - 4 - "/lib/security/cacerts".length()] = 0x7f; // a link's length beyond the file
        assertNull(JdkLinkList.links(huge, "/opt/java/openjdk", RELEASE_25));
        byte[] magic = section.clone();
        magic[0] = 0;
        assertNull(JdkLinkList.links(magic, "/opt/java/openjdk", RELEASE_25));
        assertThrows(
                IllegalArgumentException.class,
                () -> JdkLinkList.section("/opt/java/openjdk", RELEASE_25, List.of("conf/net.properties")));
    }
}
