package dev.inlay.instrumenter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlay.instrumenter.image.BlobSource;
import dev.inlay.instrumenter.image.Digests;
import dev.inlay.instrumenter.image.Image;
import dev.inlay.instrumenter.image.Json;
import dev.inlay.instrumenter.image.Layer;
import dev.inlay.instrumenter.image.MediaTypes;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Builds tiny synthetic images (tar layers, configs, OCI layouts, docker archives) for the tests. */
public final class TestImages {
    private TestImages() {}

    /** A tar layer built entry by entry. */
    public static final class LayerBuilder {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);

        public LayerBuilder() {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        }

        public LayerBuilder dir(String name) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
            e.setMode(040755);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return this;
        }

        public LayerBuilder file(String name, String content, int mode) throws IOException {
            return file(name, content.getBytes(StandardCharsets.UTF_8), mode);
        }

        public LayerBuilder file(String name, byte[] content, int mode) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setMode(0100000 | mode);
            e.setSize(content.length);
            tar.putArchiveEntry(e);
            tar.write(content);
            tar.closeArchiveEntry();
            return this;
        }

        public LayerBuilder symlink(String name, String target) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            e.setLinkName(target);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return this;
        }

        public LayerBuilder hardlink(String name, String target) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
            e.setLinkName(target);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return this;
        }

        public byte[] build() throws IOException {
            tar.finish();
            tar.close();
            return bytes.toByteArray();
        }
    }

    public static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    /** A JVM in a layer: an executable bin/java and the release file next to it. */
    public static byte[] jvmLayer(String home, String version) throws IOException {
        return new LayerBuilder()
                .dir(home.substring(1))
                .file(home.substring(1) + "/bin/java", "\u007fELF fake java", 0755)
                .file(home.substring(1) + "/release", "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n", 0644)
                .symlink("usr/bin/java", home + "/bin/java")
                .build();
    }

    /** The {@code config.Env} list of a config {@link #config} made, for an edit to add or insert variables. */
    public static ArrayNode env(ObjectNode config) {
        return (ArrayNode) config.path("config").path("Env");
    }

    /** A config with every field the wrap must keep. */
    public static ObjectNode config(String arch, List<byte[]> uncompressedLayers, Consumer<ObjectNode> edit) {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.put("created", "2024-01-02T03:04:05Z");
        c.put("architecture", arch);
        c.put("os", "linux");
        ObjectNode rc = c.putObject("config");
        rc.put("User", "1000:1000");
        rc.putObject("ExposedPorts").putObject("8080/tcp");
        ArrayNode env = rc.putArray("Env");
        env.add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.add("ZZZ_FIRST=1");
        env.add("JAVA_HOME=/opt/jdk");
        env.add("AAA_LAST=2");
        rc.putArray("Entrypoint").add("java");
        rc.putArray("Cmd").add("-jar").add("/app/app.jar");
        rc.putObject("Volumes").putObject("/data");
        rc.put("WorkingDir", "/app");
        rc.put("StopSignal", "SIGTERM");
        ObjectNode hc = rc.putObject("Healthcheck");
        hc.putArray("Test").add("CMD").add("true");
        hc.put("Interval", 30000000000L);
        rc.putObject("Labels").put("org.example.team", "payments");
        ObjectNode rootfs = c.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        ArrayNode history = c.putArray("history");
        for (byte[] l : uncompressedLayers) {
            ids.add(Digests.of(l));
            history.addObject().put("created", "2024-01-02T03:04:05Z").put("created_by", "test layer");
        }
        history.addObject().put("created_by", "ENV x").put("empty_layer", true);
        if (edit != null) edit.accept(c);
        return c;
    }

    /** Uncompressed tar layers as an image's layers, read from memory (each layer's digest is its diff ID). */
    public static List<Layer> layers(List<byte[]> uncompressedLayers) {
        List<Layer> layers = new ArrayList<>();
        for (byte[] tar : uncompressedLayers) {
            layers.add(
                    Layer.of(MediaTypes.OCI_LAYER, Digests.of(tar), tar.length, Digests.of(tar), BlobSource.of(tar)));
        }
        return layers;
    }

    /** An OCI image in memory: the layers ({@link #layers}), a {@link #config} edited by {@code edit} (or null). */
    public static Image image(List<byte[]> uncompressedLayers, Consumer<ObjectNode> edit) {
        byte[] config = config("amd64", uncompressedLayers, edit).toString().getBytes(StandardCharsets.UTF_8);
        List<Layer> layers = layers(uncompressedLayers);
        StringBuilder manifest = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + Digests.of(config)
                + "\",\"size\":" + config.length + "},\"layers\":[");
        for (int i = 0; i < layers.size(); i++) {
            manifest.append(i == 0 ? "" : ",")
                    .append("{\"mediaType\":\"")
                    .append(MediaTypes.OCI_LAYER)
                    .append("\",\"digest\":\"")
                    .append(layers.get(i).digest())
                    .append("\",\"size\":")
                    .append(uncompressedLayers.get(i).length)
                    .append('}');
        }
        manifest.append("]}");
        return Image.of(manifest.toString().getBytes(StandardCharsets.UTF_8), config, layers);
    }

    /** Writes an OCI layout with one image (gzip layers) tagged {@code tag}; returns the manifest digest. */
    public static String ociLayout(Path dir, String tag, List<byte[]> uncompressedLayers, ObjectNode config)
            throws IOException {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        ObjectNode manifest = imageManifest(dir, uncompressedLayers, config);
        byte[] m = Json.bytes(manifest);
        blob(dir, m);
        ObjectNode index = Json.MAPPER.createObjectNode();
        index.put("schemaVersion", 2);
        ObjectNode d = index.putArray("manifests").addObject();
        d.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        d.put("digest", Digests.of(m));
        d.put("size", m.length);
        d.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
        Files.write(dir.resolve("index.json"), Json.bytes(index));
        return Digests.of(m);
    }

    static ObjectNode imageManifest(Path dir, List<byte[]> uncompressedLayers, ObjectNode config) throws IOException {
        byte[] c = Json.bytes(config);
        blob(dir, c);
        ObjectNode manifest = Json.MAPPER.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        ObjectNode cd = manifest.putObject("config");
        cd.put("mediaType", "application/vnd.oci.image.config.v1+json");
        cd.put("digest", Digests.of(c));
        cd.put("size", c.length);
        ArrayNode layers = manifest.putArray("layers");
        for (byte[] l : uncompressedLayers) {
            byte[] gz = gzip(l);
            blob(dir, gz);
            ObjectNode ld = layers.addObject();
            ld.put("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip");
            ld.put("digest", Digests.of(gz));
            ld.put("size", gz.length);
        }
        manifest.putObject("annotations").put("org.example.built-by", "tests");
        return manifest;
    }

    /** An OCI layout whose tag names an index of one image per architecture. */
    public static String ociIndexLayout(Path dir, String tag, List<String> arches, List<byte[]> layers)
            throws IOException {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        ObjectNode idx = Json.MAPPER.createObjectNode();
        idx.put("schemaVersion", 2);
        idx.put("mediaType", "application/vnd.oci.image.index.v1+json");
        ArrayNode ms = idx.putArray("manifests");
        for (String arch : arches) {
            byte[] m = Json.bytes(imageManifest(dir, layers, config(arch, layers, null)));
            blob(dir, m);
            ObjectNode d = ms.addObject();
            d.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
            d.put("digest", Digests.of(m));
            d.put("size", m.length);
            d.putObject("platform").put("architecture", arch).put("os", "linux");
        }
        byte[] ib = Json.bytes(idx);
        blob(dir, ib);
        ObjectNode index = Json.MAPPER.createObjectNode();
        index.put("schemaVersion", 2);
        ObjectNode d = index.putArray("manifests").addObject();
        d.put("mediaType", "application/vnd.oci.image.index.v1+json");
        d.put("digest", Digests.of(ib));
        d.put("size", ib.length);
        d.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
        Files.write(dir.resolve("index.json"), Json.bytes(index));
        return Digests.of(ib);
    }

    static void blob(Path dir, byte[] content) throws IOException {
        Files.write(dir.resolve("blobs/sha256/" + Digests.hex(Digests.of(content))), content);
    }

    /** A docker archive (what docker save writes) with uncompressed layers. */
    public static void dockerArchive(Path file, String tag, List<byte[]> layers, ObjectNode config) throws IOException {
        byte[] c = Json.bytes(config);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(file))) {
            String configName = Digests.hex(Digests.of(c)) + ".json";
            put(tar, configName, c);
            ArrayNode manifest = Json.MAPPER.createArrayNode();
            ObjectNode e = manifest.addObject();
            e.put("Config", configName);
            e.putArray("RepoTags").add(tag);
            ArrayNode names = e.putArray("Layers");
            List<String> written = new ArrayList<>();
            for (byte[] l : layers) {
                String name = Digests.hex(Digests.of(l)) + "/layer.tar";
                names.add(name);
                if (!written.contains(name)) put(tar, name, l);
                written.add(name);
            }
            put(tar, "manifest.json", Json.bytes(manifest));
        }
    }

    public static void put(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
