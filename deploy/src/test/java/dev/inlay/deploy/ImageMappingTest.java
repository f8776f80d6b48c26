package dev.inlay.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageMappingTest {
    @Test
    void explicitPairsMapExactReferencesAndTheirTargetsAreAlreadyWrapped() {
        ImageMapping m = ImageMapping.builder()
                .pair("reg/app:1=reg/app:1-wrapped", "--image-map")
                .build();
        assertEquals("reg/app:1-wrapped", m.resolve("reg/app:1").wrapped());
        assertFalse(m.resolve("reg/app:1").alreadyWrapped());
        assertTrue(m.resolve("reg/app:1-wrapped").alreadyWrapped());
        assertNull(m.resolve("reg/app:2").wrapped());
        assertEquals("not in the image map", m.resolve("reg/app:2").reason());
    }

    @Test
    void suffixRuleAppendsToTheTagAndKnowsItsOwnOutput() {
        ImageMapping m = ImageMapping.builder().suffix("-inlay").build();
        assertEquals(
                "registry.example.com:5000/shop/orders:1.4-inlay",
                m.resolve("registry.example.com:5000/shop/orders:1.4").wrapped());
        assertEquals(
                "registry.example.com:5000/shop/orders:latest-inlay",
                m.resolve("registry.example.com:5000/shop/orders").wrapped());
        assertTrue(m.resolve("shop/orders:1.4-inlay").alreadyWrapped());
        assertTrue(m.resolve("shop/orders:1.4-inlay@sha256:" + "a".repeat(64)).alreadyWrapped());
        ImageMapping.Resolution pinned = m.resolve("shop/orders@sha256:" + "b".repeat(64));
        assertFalse(pinned.isWrapped());
        assertTrue(pinned.reason().contains("digest"), pinned.reason());
    }

    @Test
    void explicitPairsWinOverTheSuffix() {
        ImageMapping m = ImageMapping.builder()
                .pair("a/b:1", "c/d:9", "x")
                .suffix("-inlay")
                .build();
        assertEquals("c/d:9", m.resolve("a/b:1").wrapped());
        assertEquals("a/b:2-inlay", m.resolve("a/b:2").wrapped());
    }

    @Test
    void mappingFileSkipsCommentsAndNamesTheBadLine(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("images.txt");
        Files.writeString(good, "# wrapped by CI\n\nreg/a:1=reg/a:1-inlay\n  reg/b:2 = reg/b:2-inlay  \n");
        ImageMapping m = ImageMapping.builder().file(good).build();
        assertEquals("reg/b:2-inlay", m.resolve("reg/b:2").wrapped());
        assertEquals(2, m.explicit().size());

        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "reg/a:1=reg/a:1-inlay\nreg/b:2\n");
        DeployInputException e = assertThrows(
                DeployInputException.class, () -> ImageMapping.builder().file(bad));
        assertTrue(e.getMessage().contains("bad.txt:2"), e.getMessage());
    }

    @Test
    void contradictoryOrSelfMappingsAreRefused() {
        assertThrows(
                DeployInputException.class,
                () -> ImageMapping.builder().pair("a:1=b:1", "x").pair("a:1=c:1", "y"));
        assertThrows(DeployInputException.class, () -> ImageMapping.builder().pair("a:1=a:1", "x"));
        assertThrows(DeployInputException.class, () -> ImageMapping.builder().pair("a:1 b=c", "x"));
        assertThrows(DeployInputException.class, () -> ImageMapping.builder().suffix("bad suffix"));
    }

    @Test
    void checkWithoutAnyMappingUsesTheDefaultSuffix() {
        DeploySettings s = DeploySettings.builder().check(true).build();
        assertTrue(s.images().resolve("x/y:1-inlay").alreadyWrapped());
        assertFalse(s.images().resolve("x/y:1").alreadyWrapped());
    }
}
