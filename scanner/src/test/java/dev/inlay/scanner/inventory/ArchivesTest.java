package dev.inlay.scanner.inventory;

import dev.inlay.scanner.inventory.FoundComponent.Evidence;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ArchivesTest {
    private static byte[] log4jCore() throws IOException {
        return new TestJars()
                .pom("org.apache.logging.log4j", "log4j-core", "2.14.1")
                .pomXmlLicence(
                        "org.apache.logging.log4j",
                        "log4j-core",
                        "Apache License, Version 2.0",
                        "https://www.apache.org/licenses/LICENSE-2.0.txt")
                .manifest("Implementation-Vendor-Id", "org.apache.logging.log4j")
                .manifest("Implementation-Version", "2.14.1")
                .classFile("org/apache/logging/log4j/core/Logger.class")
                .build();
    }

    private static byte[] commonsCollections() throws IOException {
        return new TestJars()
                .pom("commons-collections", "commons-collections", "3.2.1")
                .classFile("org/apache/commons/collections/Transformer.class")
                .build();
    }

    private static FoundComponent identify(String path, byte[] jar) {
        return Archives.identify(path, new ByteArrayInputStream(jar));
    }

    private static String summary(FoundComponent c) {
        return c.group() + ":" + c.name() + ":" + c.version() + " " + c.evidence() + " " + c.confidence() + " @"
                + c.location();
    }

    @Test
    void springBootFatJarNestsItsLibraries() throws IOException {
        byte[] app = new TestJars()
                .storedNested()
                .pom("com.example", "shop", "1.4.0")
                .manifest("Main-Class", "org.springframework.boot.loader.launch.JarLauncher")
                .classFile("BOOT-INF/classes/com/example/Shop.class")
                .nested("BOOT-INF/lib/log4j-core-2.14.1.jar", log4jCore())
                .nested("BOOT-INF/lib/commons-collections-3.2.1.jar", commonsCollections())
                .build();
        FoundComponent c = identify("/app/shop-1.4.0.jar", app);
        assertEquals("com.example:shop:1.4.0 POM_PROPERTIES 1.0 @/app/shop-1.4.0.jar", summary(c));
        assertEquals("/app/shop-1.4.0.jar!/META-INF/maven/com.example/shop/pom.properties", c.evidenceSource());
        assertEquals(
                List.of(
                        "org.apache.logging.log4j:log4j-core:2.14.1 POM_PROPERTIES 1.0 @/app/shop-1.4.0.jar!/BOOT-INF/lib/log4j-core-2.14.1.jar",
                        "commons-collections:commons-collections:3.2.1 POM_PROPERTIES 1.0 @/app/shop-1.4.0.jar!/BOOT-INF/lib/commons-collections-3.2.1.jar"),
                c.nested().stream().map(ArchivesTest::summary).collect(Collectors.toList()));
        assertEquals(List.of("Apache License, Version 2.0"), c.nested().get(0).licences());
    }

    @Test
    void warAndEarLibrariesAreNestedAtEveryLevel() throws IOException {
        byte[] war = new TestJars()
                .nested("WEB-INF/lib/commons-collections-3.2.1.jar", commonsCollections())
                .classFile("WEB-INF/classes/com/example/Web.class")
                .build();
        byte[] ear = new TestJars()
                .nested("web-2.0.war", war)
                .nested("lib/log4j-core-2.14.1.jar", log4jCore())
                .build();
        FoundComponent c = identify("/opt/server/deploy/shop-2.0.ear", ear);
        assertEquals("null:shop:2.0 FILE_NAME 0.3 @/opt/server/deploy/shop-2.0.ear", summary(c));
        FoundComponent webModule = c.nested().get(0);
        assertEquals("null:web:2.0 FILE_NAME 0.3 @/opt/server/deploy/shop-2.0.ear!/web-2.0.war", summary(webModule));
        assertEquals(
                "commons-collections:commons-collections:3.2.1 POM_PROPERTIES 1.0"
                        + " @/opt/server/deploy/shop-2.0.ear!/web-2.0.war!/WEB-INF/lib/commons-collections-3.2.1.jar",
                summary(webModule.nested().get(0)));
        assertEquals(
                "org.apache.logging.log4j:log4j-core:2.14.1 POM_PROPERTIES 1.0"
                        + " @/opt/server/deploy/shop-2.0.ear!/lib/log4j-core-2.14.1.jar",
                summary(c.nested().get(1)));
    }

    @Test
    void shadedJarWithTwoPomPropertiesIsOneComponentWithTheOtherNested() throws IOException {
        byte[] shaded = new TestJars()
                .pom("com.example", "docservice", "1.0.0")
                .pom("org.apache.logging.log4j", "log4j-core", "2.14.1")
                .classFile("com/example/Main.class")
                .classFile("org/apache/logging/log4j/core/Logger.class")
                .build();
        FoundComponent c = identify("/app/docservice-1.0.0.jar", shaded);
        assertEquals("com.example:docservice:1.0.0 POM_PROPERTIES 1.0 @/app/docservice-1.0.0.jar", summary(c));
        assertEquals(1, c.nested().size());
        FoundComponent inner = c.nested().get(0);
        assertEquals(
                "org.apache.logging.log4j:log4j-core:2.14.1 POM_PROPERTIES 1.0 @/app/docservice-1.0.0.jar",
                summary(inner));
        assertEquals(
                "/app/docservice-1.0.0.jar!/META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties",
                inner.evidenceSource());
        assertEquals("true", inner.attributes().get("shaded"));
    }

    @Test
    void uberJarWhoseOwnPomIsNotAmongItsPomsIsAnArchiveCarryingThemAll() throws IOException {
        byte[] uber = new TestJars()
                .manifest("Main-Class", "com.example.Main")
                .pom("org.apache.logging.log4j", "log4j-core", "2.14.1")
                .pom("commons-collections", "commons-collections", "3.2.1")
                .build();
        FoundComponent c = identify("/app/docservice.jar", uber);
        assertEquals(FoundComponent.Kind.ARCHIVE, c.kind());
        assertEquals("null:docservice:null NONE 0.0 @/app/docservice.jar", summary(c));
        assertEquals(
                List.of("log4j-core", "commons-collections"),
                c.nested().stream().map(FoundComponent::name).toList());
    }

    @Test
    void strippedJarIsIdentifiedByItsManifest() throws IOException {
        byte[] withGroup = new TestJars()
                .manifest("Implementation-Title", "Apache Log4j Core")
                .manifest("Implementation-Vendor-Id", "org.apache.logging.log4j")
                .manifest("Implementation-Version", "2.14.1")
                .manifest("Bundle-License", "https://www.apache.org/licenses/LICENSE-2.0.txt")
                .classFile("a/B.class")
                .build();
        FoundComponent c = identify("/app/lib/log4j-core-2.14.1.jar", withGroup);
        assertEquals(
                "org.apache.logging.log4j:log4j-core:2.14.1 MANIFEST_WITH_GROUP 0.7 @/app/lib/log4j-core-2.14.1.jar",
                summary(c));
        assertEquals("/app/lib/log4j-core-2.14.1.jar!/META-INF/MANIFEST.MF", c.evidenceSource());
        assertEquals(List.of("https://www.apache.org/licenses/LICENSE-2.0.txt"), c.licences());

        byte[] bundle = new TestJars()
                .manifest("Bundle-SymbolicName", "org.example.util;singleton:=true")
                .manifest("Bundle-Version", "5.1.0")
                .classFile("a/B.class")
                .build();
        FoundComponent b = identify("/app/lib/util.jar", bundle);
        assertEquals("null:org.example.util:5.1.0 MANIFEST 0.5 @/app/lib/util.jar", summary(b));
    }

    @Test
    void jarWithNothingButItsNameIsIdentifiedByTheName() throws IOException {
        byte[] bare = new TestJars()
                .classFile("org/apache/commons/collections/Transformer.class")
                .build();
        FoundComponent c = identify("/app/lib/commons-collections-3.2.1.jar", bare);
        assertEquals(
                "null:commons-collections:3.2.1 FILE_NAME 0.3 @/app/lib/commons-collections-3.2.1.jar", summary(c));
        assertEquals(Evidence.FILE_NAME.confidence, c.confidence());
        assertNull(c.group());
    }

    @Test
    void aDamagedArchiveIsListedWithWhatCouldBeRead() {
        FoundComponent c = identify("/app/lib/broken-1.0.jar", "PK\u0003\u0004 this is not a zip".getBytes());
        assertEquals("null:broken:1.0 FILE_NAME 0.3 @/app/lib/broken-1.0.jar", summary(c));
    }
}
