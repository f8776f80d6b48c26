package dev.inlay.scanner.vuln;

import org.cyclonedx.model.Bom;
import org.cyclonedx.parsers.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** The OSV and SBOM fixtures of src/test/resources (see osv/README.md for the facts they hold). */
public final class Fixtures {
    private Fixtures() {}

    /**
     * A fixture as a file: from this module's test classes, or, for another module's tests that get these fixtures
     * from the test jar (the CLI's), from the source tree ({@code INLAY_TEST_ROOT}, set by every module's surefire).
     */
    public static Path resource(String name) {
        try {
            java.net.URI uri = Fixtures.class.getResource("/" + name).toURI();
            if (uri.getScheme().equals("file")) return Path.of(uri);
            String root = System.getenv("INLAY_TEST_ROOT");
            if (root == null) throw new IllegalStateException("INLAY_TEST_ROOT is not set; " + name + " is in " + uri);
            return Path.of(root, "scanner", "src", "test", "resources", name);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fixture advisories, Maven and Debian. */
    public static Path osvDirectory() {
        return resource("osv");
    }

    public static Path docserviceSbom() {
        return resource("sbom/docservice.cdx.json");
    }

    public static Bom docservice() throws Exception {
        return new JsonParser().parse(Files.readAllBytes(docserviceSbom()));
    }

    /** The JSON files of a fixture directory zipped as OSV publishes them (one record per entry, at the top). */
    public static Path zipOf(Path dir, Path zip) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        try (OutputStream out = Files.newOutputStream(zip);
                ZipOutputStream z = new ZipOutputStream(out)) {
            for (Path f : files) {
                z.putNextEntry(new ZipEntry(f.getFileName().toString()));
                try (InputStream in = Files.newInputStream(f)) {
                    in.transferTo(z);
                }
                z.closeEntry();
            }
        }
        return zip;
    }
}
