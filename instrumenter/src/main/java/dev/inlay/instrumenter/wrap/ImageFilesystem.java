package dev.inlay.instrumenter.wrap;

import dev.inlay.instrumenter.image.Digests;
import dev.inlay.instrumenter.image.Layer;
import dev.inlay.instrumenter.image.LayerStreams;
import dev.inlay.instrumenter.image.MalformedImageException;
import dev.inlay.instrumenter.transport.Progress;
import dev.inlay.model.JdkLinkList;
import dev.inlay.policy.Roots;
import dev.inlay.scanner.cache.LayerFactCache;
import dev.inlay.scanner.inventory.LayerInventory;
import dev.inlay.scanner.inventory.LayerScanner;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the merged filesystem of an image's layers holds, as far as inlay cares: every executable regular file with
 * its size and sha256 (the drift baseline), symbolic links (to resolve entrypoints and {@code java}), scripts' text,
 * the JDK {@code release} files and, when asked, each JDK's {@code lib/modules} and {@code lib/jrt-fs.jar} copied to
 * a directory (to hook its classes ahead of time). Built by streaming each layer once, applying whiteouts as the
 * runtime would; the same pass can hand the files the inventory wants to it ({@link InventoryPass}).
 */
public final class ImageFilesystem {
    /** An executable regular file. */
    public record Executable(String path, long size, String sha256, Kind kind, String scriptText) {}

    public enum Kind {
        ELF,
        SCRIPT,
        OTHER
    }

    /** A JVM found in the image: where {@code bin/java} is and the version its {@code release} file states. */
    public record Jvm(String javaPath, String version) {
        /** Its {@code java.home}. */
        public String home() {
            return javaPath.substring(0, javaPath.length() - "/bin/java".length());
        }
    }

    /**
     * A JDK's files that hooking its classes ahead of time needs: its release file, and the digests of its class image
     * and of the reader of its format, with the layers that hold them (read again only when the hooked classes of that
     * class image are not cached).
     */
    public record JdkFiles(String home, byte[] release, JdkFileAt modules, JdkFileAt jrtFs) {}

    /** A JDK file of the merged filesystem: its path in the image, digest, size, and the layer it comes from. */
    public record JdkFileAt(String path, String sha256, long size, int layer) {}

    /** The JDK files hooked ahead of time: the class image and the reader of its format. */
    private static final List<String> JDK_FILES = List.of("/lib/modules", "/lib/jrt-fs.jar");

    private static final int MAX_SCRIPT_BYTES = 256 * 1024;
    private static final int MAX_RELEASE_BYTES = 64 * 1024;
    /** A JDK's lib/modules is 30-200 MB; a larger file by that name is not copied to disk (a hostile image's bomb). */
    private static final long MAX_JDK_FILE_BYTES = 1L << 30;

    private static final int MAX_LINK_HOPS = 40;
    /** A file both the inventory and the scan read is buffered once; larger ones go to the scan only (heap). */
    private static final long MAX_SHARED_BYTES = 64L << 20;
    /** Layers read at once: more only competes for the same cores and disk. */
    private static final int MAX_PARALLEL_LAYERS = 4;

    private final Map<String, Executable> executables = new HashMap<>();
    private final Map<String, String> symlinks = new HashMap<>();
    private final Map<String, byte[]> releaseFiles = new HashMap<>();
    private final Map<String, JdkFileAt> jdkFiles = new HashMap<>();
    /** Copies of JDK files read in this run, by layer index and path: {@code "3:/opt/jdk/lib/modules"}. */
    private final Map<String, Path> jdkFileCopies = new java.util.concurrent.ConcurrentHashMap<>();
    /** Where copies go (null: none are made), and the layers they come from (to read one again). */
    private final Path copiesDir;

    private final List<Layer> layers;
    private int layersRead;

    private ImageFilesystem(Path copiesDir, List<Layer> layers) {
        this.copiesDir = copiesDir;
        this.layers = layers;
    }

    public static ImageFilesystem scan(List<Layer> layers) throws IOException {
        return scan(layers, (Path) null);
    }

    /** @param jdkFileCopies where to copy each JDK's lib/modules and lib/jrt-fs.jar, or null not to */
    public static ImageFilesystem scan(List<Layer> layers, Path jdkFileCopies) throws IOException {
        return scan(layers, jdkFileCopies, Progress.SILENT);
    }

    public static ImageFilesystem scan(List<Layer> layers, Progress progress) throws IOException {
        return scan(layers, null, progress);
    }

    /** @param progress where reading each layer shows progress (on a terminal); {@link Progress#SILENT} for none */
    public static ImageFilesystem scan(List<Layer> layers, Path jdkFileCopies, Progress progress) throws IOException {
        return scan(layers, jdkFileCopies, progress, null, null);
    }

    /**
     * Reads the layers (those not known to the cache, at most {@value #MAX_PARALLEL_LAYERS} at once) and applies them
     * in order. A layer whose filesystem facts, and inventory when one is taken, are all in the cache is not opened.
     *
     * @param inventory also identify the components of each layer in the same pass, or null not to
     * @param cache     where per-layer facts are kept by diff_id, or null for none
     */
    public static ImageFilesystem scan(
            List<Layer> layers, Path jdkFileCopies, Progress progress, InventoryPass inventory, LayerFactCache cache)
            throws IOException {
        ImageFilesystem fs = new ImageFilesystem(jdkFileCopies, List.copyOf(layers));
        int n = layers.size();
        LayerFiles[] files = new LayerFiles[n];
        LayerInventory[] inventories = new LayerInventory[n];
        List<Integer> toRead = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Layer layer = layers.get(i);
            if (cache != null)
                files[i] = cache.read(LayerFiles.KIND, LayerFiles.VERSION, layer.diffId(), LayerFiles.class)
                        .orElse(null);
            if (inventory != null) inventories[i] = inventory.lookup(layer);
            if (files[i] == null || (inventory != null && inventories[i] == null)) toRead.add(i);
        }
        boolean[] scanned = new boolean[n];
        Map<Integer, java.util.concurrent.Callable<Void>> reads = new java.util.LinkedHashMap<>();
        for (int i : toRead) {
            Layer layer = layers.get(i);
            boolean takeInventory = inventory != null && inventories[i] == null;
            reads.put(i, () -> {
                LayerScanner scanner = takeInventory ? new LayerScanner() : null;
                Progress.Task task = progress.start("scanning layer " + (i + 1) + "/" + n, layer.size());
                files[i] = fs.read(
                        new Layer(
                                layer.descriptor(),
                                layer.diffId(),
                                () -> task.counting(layer.content().open())),
                        i,
                        scanner);
                // only now: the content matched its diff_id
                if (cache != null) cache.write(LayerFiles.KIND, LayerFiles.VERSION, layer.diffId(), files[i]);
                if (scanner != null) {
                    inventories[i] = inventory.store(layer, scanner);
                    scanned[i] = true;
                }
                return null;
            });
        }
        runBounded(reads.values());
        fs.layersRead = toRead.size();
        for (int i = 0; i < n; i++) {
            if (inventory != null) inventory.add(layers.get(i), inventories[i], !scanned[i]);
            fs.apply(files[i], i);
        }
        return fs;
    }

    /** Runs the reads, several at once where the machine has the cores; the first failure is thrown. */
    private static void runBounded(java.util.Collection<java.util.concurrent.Callable<Void>> reads) throws IOException {
        if (reads.isEmpty()) return;
        int threads = Math.min(
                reads.size(), Math.min(MAX_PARALLEL_LAYERS, Runtime.getRuntime().availableProcessors()));
        if (threads <= 1) {
            for (java.util.concurrent.Callable<Void> r : reads) call(r);
            return;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "inlay-layer-read");
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<Void>> futures = new ArrayList<>();
            for (java.util.concurrent.Callable<Void> r : reads) futures.add(pool.submit(r));
            for (java.util.concurrent.Future<Void> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    for (java.util.concurrent.Future<Void> other : futures) other.cancel(true);
                    if (e.getCause() instanceof IOException io) throw io;
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    if (e.getCause() instanceof Error err) throw err;
                    throw new IOException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while reading layers");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void call(java.util.concurrent.Callable<Void> r) throws IOException {
        try {
            r.call();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** How many layers this scan read (the others came from the cache). */
    public int layersRead() {
        return layersRead;
    }

    /** Streams one layer once: what it contributes, its inventory (when asked), copies of its JDK files. */
    private LayerFiles read(Layer layer, int index, LayerScanner inventory) throws IOException {
        LayerFiles.Builder upper = new LayerFiles.Builder();
        Map<String, Path> copies = new HashMap<>();
        String what = "layer " + index + " (" + layer.digest() + ")";
        MessageDigest layerDigest = Digests.sha256();
        try (InputStream raw = LayerStreams.uncompressed(layer.content(), what);
                InputStream hashed = new java.security.DigestInputStream(raw, layerDigest);
                TarArchiveInputStream tar = new TarArchiveInputStream(hashed)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String path = normalize(e.getName(), what);
                if (path == null) continue;
                String name = path.substring(path.lastIndexOf('/') + 1);
                String dir = path.substring(0, path.lastIndexOf('/'));
                if (name.equals(".wh..wh..opq")) {
                    upper.opaqueDirs.add(dir.isEmpty() ? "/" : dir);
                    if (inventory != null) inventory.opaque(dir.isEmpty() ? "/" : dir);
                    continue;
                }
                if (name.startsWith(".wh.")) {
                    upper.removed.add(dir + "/" + name.substring(4));
                    if (inventory != null) inventory.whiteout(dir + "/" + name.substring(4));
                    continue;
                }
                if (!e.isDirectory()) {
                    upper.remove(path);
                    copies.remove(path);
                }
                upper.replaced.add(path);
                InputStream content = tar;
                if (inventory != null && LayerScanner.wants(path)) {
                    content = inventoryFile(inventory, path, name, e, tar);
                }
                if (e.isSymbolicLink()) {
                    upper.symlinks.put(path, e.getLinkName());
                } else if (e.isLink()) {
                    String target = normalize(e.getLinkName(), what);
                    Executable t = target == null ? null : upper.executables.get(target);
                    if (t != null)
                        upper.executables.put(path, new Executable(path, t.size, t.sha256, t.kind, t.scriptText));
                    else if (target != null) upper.hardLinks.put(path, target);
                } else if (e.isFile()) {
                    if (name.equals("release") && e.getSize() <= MAX_RELEASE_BYTES) {
                        upper.releaseFiles.put(path, content.readAllBytes());
                    } else if (isJdkFile(path) && e.getSize() <= MAX_JDK_FILE_BYTES) {
                        upper.jdkFiles.put(path, jdkFile(path, content, copies));
                    } else if ((e.getMode() & 0111) != 0) {
                        upper.executables.put(path, hashExecutable(path, e.getSize(), content));
                    }
                }
                if (content != tar) content.close(); // a buffer or a spilled copy, deleted on close
            }
            // a tar's end-of-archive padding is part of the diff_id
            hashed.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (MalformedImageException | dev.inlay.instrumenter.image.BlobReadException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new MalformedImageException(what + " is not a readable tar: " + e.getMessage(), e);
        }
        String actual = Digests.format(layerDigest.digest());
        if (!actual.equals(layer.diffId())) {
            throw new MalformedImageException(
                    what + " does not match its diff_id " + layer.diffId() + " (content hashes to " + actual + ")");
        }
        for (Map.Entry<String, Path> c : copies.entrySet()) jdkFileCopies.put(index + ":" + c.getKey(), c.getValue());
        return upper.build();
    }

    /** Hashes a JDK file, copying it to the copies directory on the way when there is one. */
    private LayerFiles.JdkFile jdkFile(String path, InputStream content, Map<String, Path> copies) throws IOException {
        MessageDigest md = Digests.sha256();
        long size;
        if (copiesDir == null) {
            size = new java.security.DigestInputStream(content, md).transferTo(java.io.OutputStream.nullOutputStream());
        } else {
            Path copy = Files.createTempFile(copiesDir, "jdk-file", ".bin");
            try (java.io.OutputStream out = Files.newOutputStream(copy)) {
                size = new java.security.DigestInputStream(content, md).transferTo(out);
            }
            copies.put(path, copy);
        }
        return new LayerFiles.JdkFile(java.util.HexFormat.of().formatHex(md.digest()), size);
    }

    /**
     * Applies one layer's contribution over the layers below, as the runtime does: its opaque directories and
     * whiteouts, then every path it holds replaces what was there.
     */
    void apply(LayerFiles upper, int index) {
        // hard links to a file of the layers below, resolved before the layer changes them
        Map<String, Executable> linked = new HashMap<>();
        for (Map.Entry<String, String> link : upper.hardLinks().entrySet()) {
            Executable t = executables.get(link.getValue());
            if (t != null)
                linked.put(link.getKey(), new Executable(link.getKey(), t.size, t.sha256, t.kind, t.scriptText));
        }
        for (String dir : upper.opaqueDirs()) removeChildren(dir.equals("/") ? "" : dir);
        for (String path : upper.removed()) remove(path);
        for (String path : upper.replaced()) {
            executables.remove(path);
            symlinks.remove(path);
            releaseFiles.remove(path);
            jdkFiles.remove(path);
        }
        executables.putAll(upper.executables());
        executables.putAll(linked);
        symlinks.putAll(upper.symlinks());
        releaseFiles.putAll(upper.releaseFiles());
        for (Map.Entry<String, LayerFiles.JdkFile> f : upper.jdkFiles().entrySet()) {
            jdkFiles.put(
                    f.getKey(),
                    new JdkFileAt(
                            f.getKey(), f.getValue().sha256(), f.getValue().size(), index));
        }
    }

    /**
     * A copy of a JDK file of the merged filesystem: the one made while reading its layer, else one made now by
     * reading that layer again (its hooked classes were not cached), checked against the digest the scan recorded.
     */
    Path copyOf(JdkFileAt file) throws IOException {
        if (copiesDir == null) throw new IllegalStateException("the scan was not asked to copy JDK files");
        Path copy = jdkFileCopies.get(file.layer() + ":" + file.path());
        if (copy != null) return copy;
        Layer layer = layers.get(file.layer());
        String what = "layer " + file.layer() + " (" + layer.digest() + ")";
        Path found = null;
        String foundSha = null;
        try (InputStream raw = LayerStreams.uncompressed(layer.content(), what);
                TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (!file.path().equals(normalize(e.getName(), what))) continue;
                // the last entry at the path is the layer's file
                if (found != null) Files.deleteIfExists(found);
                found = null;
                if (!e.isFile() || e.isLink() || e.getSize() > MAX_JDK_FILE_BYTES) continue;
                found = Files.createTempFile(copiesDir, "jdk-file", ".bin");
                MessageDigest md = Digests.sha256();
                try (java.io.OutputStream out = Files.newOutputStream(found)) {
                    new java.security.DigestInputStream(tar, md).transferTo(out);
                }
                foundSha = java.util.HexFormat.of().formatHex(md.digest());
            }
        }
        if (found == null || !file.sha256().equals(foundSha)) {
            throw new MalformedImageException(what + " does not hold " + file.path() + " with sha256 " + file.sha256()
                    + " as the layer cache recorded (a damaged cache entry or blob)");
        }
        jdkFileCopies.put(file.layer() + ":" + file.path(), found);
        return found;
    }

    /**
     * Hands a file the inventory wants to it, and returns what the rest of the scan reads instead of the tar: the
     * same bytes, buffered, when the scan needs them too (a release file, an executable or JDK jar), else the tar
     * (whose entry the scan then leaves alone).
     */
    private InputStream inventoryFile(
            LayerScanner inventory, String path, String name, TarArchiveEntry e, InputStream tar) throws IOException {
        if (e.isSymbolicLink() || e.isLink() || !e.isFile()) {
            inventory.replaced(path);
            return tar;
        }
        // exactly the cases in which read() reads the entry itself
        boolean scanReadsIt = name.equals("release") && e.getSize() <= MAX_RELEASE_BYTES
                || isJdkFile(path) && e.getSize() <= MAX_JDK_FILE_BYTES
                || (e.getMode() & 0111) != 0;
        if (!scanReadsIt) {
            inventory.file(path, e.getSize(), tar);
            return tar;
        }
        if (e.getSize() > MAX_SHARED_BYTES) {
            if (copiesDir == null) {
                inventory.replaced(path); // no work directory to spill it to: the drift baseline has it, the SBOM not
                return tar;
            }
            // too large for the heap twice: read once into the work directory, then by each from there
            Path spill = Files.createTempFile(copiesDir, "shared", ".bin");
            Files.copy(tar, spill, StandardCopyOption.REPLACE_EXISTING);
            try (InputStream in = Files.newInputStream(spill)) {
                inventory.file(path, e.getSize(), in);
            }
            return Files.newInputStream(spill, java.nio.file.StandardOpenOption.DELETE_ON_CLOSE);
        }
        byte[] bytes = tar.readAllBytes();
        inventory.file(path, bytes.length, new java.io.ByteArrayInputStream(bytes));
        return new java.io.ByteArrayInputStream(bytes);
    }

    private static boolean isJdkFile(String path) {
        for (String suffix : JDK_FILES) if (path.endsWith(suffix)) return true;
        return false;
    }

    private static Executable hashExecutable(String path, long size, InputStream in) throws IOException {
        MessageDigest md = Digests.sha256();
        byte[] buf = new byte[1 << 16];
        byte[] head = new byte[0];
        java.io.ByteArrayOutputStream script = null;
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            md.update(buf, 0, n);
            if (total == 0) {
                head = java.util.Arrays.copyOf(buf, Math.min(n, 4));
                if (n >= 2 && buf[0] == '#' && buf[1] == '!' && size <= MAX_SCRIPT_BYTES)
                    script = new java.io.ByteArrayOutputStream();
            }
            if (script != null) script.write(buf, 0, n);
            total += n;
        }
        Kind kind = head.length == 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F'
                ? Kind.ELF
                : head.length >= 2 && head[0] == '#' && head[1] == '!' ? Kind.SCRIPT : Kind.OTHER;
        String text = script == null ? null : script.toString(StandardCharsets.UTF_8);
        return new Executable(path, total, java.util.HexFormat.of().formatHex(md.digest()), kind, text);
    }

    /** Layer paths are relative to the root; {@code ..} anywhere is hostile. Returns an absolute path or null for the root. */
    static String normalize(String raw, String what) {
        String p = raw;
        while (p.startsWith("./")) p = p.substring(2);
        while (p.startsWith("/")) p = p.substring(1);
        if (p.endsWith("/")) p = p.substring(0, p.length() - 1);
        if (p.isEmpty() || p.equals(".")) return null;
        StringBuilder sb = new StringBuilder();
        for (String part : p.split("/")) {
            if (part.equals("..")) throw new MalformedImageException(what + ": path escapes the root: " + raw);
            if (part.isEmpty() || part.equals(".")) continue;
            sb.append('/').append(part);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private void remove(String path) {
        executables.remove(path);
        symlinks.remove(path);
        releaseFiles.remove(path);
        jdkFiles.remove(path);
        removeChildren(path);
    }

    private void removeChildren(String dir) {
        String prefix = dir + "/";
        executables.keySet().removeIf(p -> p.startsWith(prefix));
        symlinks.keySet().removeIf(p -> p.startsWith(prefix));
        releaseFiles.keySet().removeIf(p -> p.startsWith(prefix));
        jdkFiles.keySet().removeIf(p -> p.startsWith(prefix));
    }

    /** The drift baseline: {@code sha256<TAB>size<TAB>path}, sorted by path; paths with tabs or newlines are left out. */
    public String baselineTsv() {
        StringBuilder sb = new StringBuilder();
        for (Executable x : new TreeMap<>(executables).values()) {
            if (x.path.indexOf('\t') >= 0 || x.path.indexOf('\n') >= 0 || x.path.indexOf('\r') >= 0) continue;
            sb.append(x.sha256)
                    .append('\t')
                    .append(x.size)
                    .append('\t')
                    .append(x.path)
                    .append('\n');
        }
        return sb.toString();
    }

    public int executableCount() {
        return executables.size();
    }

    /** Follows symbolic links in every component, as the kernel would, staying inside the image. */
    public String resolve(String path) {
        String current = path;
        for (int hop = 0; hop < MAX_LINK_HOPS; hop++) {
            String next = resolveOnce(current);
            if (next.equals(current)) return current;
            current = next;
        }
        return current;
    }

    private String resolveOnce(String path) {
        String[] parts = path.split("/");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isEmpty()) continue;
            String candidate = sb + "/" + parts[i];
            String target = symlinks.get(candidate);
            if (target != null) {
                String base = target.startsWith("/") ? target : sb + "/" + target;
                StringBuilder rest = new StringBuilder(base);
                for (int j = i + 1; j < parts.length; j++) rest.append('/').append(parts[j]);
                return java.nio.file.Path.of("/")
                        .resolve(rest.toString())
                        .normalize()
                        .toString();
            }
            sb.append('/').append(parts[i]);
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    /** Every symbolic link of the merged filesystem. */
    Set<String> symlinkPaths() {
        return java.util.Collections.unmodifiableSet(symlinks.keySet());
    }

    /** Where the link at {@code path} points, as an absolute path, not followed further. */
    String symlinkTarget(String path) {
        String target = symlinks.get(path);
        if (target == null) return path;
        String base = target.startsWith("/") ? target : path.substring(0, path.lastIndexOf('/')) + "/" + target;
        return java.nio.file.Path.of("/").resolve(base).normalize().toString();
    }

    public Executable executable(String path) {
        return executables.get(resolve(path));
    }

    /** Looks a bare command name up along PATH, like execvp. */
    public String which(String command, String pathVariable) {
        if (command.contains("/")) return command.startsWith("/") ? command : null;
        String pathValue =
                pathVariable == null ? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" : pathVariable;
        for (String dir : pathValue.split(":")) {
            if (dir.isEmpty()) continue;
            String candidate = (dir.endsWith("/") ? dir : dir + "/") + command;
            if (executable(candidate) != null) return candidate;
        }
        return null;
    }

    /** Every {@code bin/java} executable, with the version from the {@code release} file of its Java home. */
    public List<Jvm> jvms() {
        List<Jvm> jvms = new ArrayList<>();
        for (String path : new TreeMap<>(executables).keySet()) {
            if (!path.endsWith("/bin/java")) continue;
            String home = path.substring(0, path.length() - "/bin/java".length());
            byte[] release = releaseFiles.get(home + "/release");
            if (release == null && home.endsWith("/jre"))
                release = releaseFiles.get(home.substring(0, home.length() - 4) + "/release");
            jvms.add(new Jvm(
                    path,
                    release == null
                            ? "unknown"
                            : releaseValue(new String(release, StandardCharsets.UTF_8), "JAVA_VERSION")));
        }
        return jvms;
    }

    /**
     * The JVMs whose release file, lib/modules and lib/jrt-fs.jar are all in the image (followed through symbolic
     * links), with the digests of the latter two.
     */
    public List<JdkFiles> jdkFiles() {
        List<JdkFiles> out = new ArrayList<>();
        for (Jvm jvm : jvms()) {
            byte[] release = releaseFiles.get(resolve(jvm.home() + "/release"));
            JdkFileAt modules = jdkFiles.get(resolve(jvm.home() + JDK_FILES.get(0)));
            JdkFileAt jrtFs = jdkFiles.get(resolve(jvm.home() + JDK_FILES.get(1)));
            if (release != null && modules != null && jrtFs != null)
                out.add(new JdkFiles(jvm.home(), release, modules, jrtFs));
        }
        return out;
    }

    /**
     * {@code jdk-links.bin} ({@link dev.inlay.model.JdkLinkList}): per JVM whose {@code release} file is in the image,
     * every symbolic link under its home (as the image resolves the home) but in the directories the agent never looks
     * into ({@link dev.inlay.policy.Roots#NOT_WALKED}); empty when there is no such JVM. The agent resolves each link
     * itself at startup and keeps those out of the home, so a link whose target is missing here costs nothing.
     */
    public byte[] jdkLinkList() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Jvm jvm : jvms()) {
            byte[] release = releaseFiles.get(resolve(jvm.home() + "/release"));
            String home = resolve(jvm.home());
            if (release == null || home.equals("/")) continue;
            List<String> links = new ArrayList<>();
            for (String path : new TreeSet<>(symlinks.keySet())) {
                if (!path.startsWith(home + "/")) continue;
                String rel = path.substring(home.length());
                int slash = rel.indexOf('/', 1);
                if (Roots.NOT_WALKED.contains(slash < 0 ? rel.substring(1) : rel.substring(1, slash))) continue;
                links.add(rel);
            }
            out.writeBytes(JdkLinkList.section(jvm.home(), release, links));
        }
        return out.toByteArray();
    }

    static String releaseValue(String release, String key) {
        for (String line : release.split("\n")) {
            if (line.startsWith(key + "=")) {
                String v = line.substring(key.length() + 1).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
                return v;
            }
        }
        return "unknown";
    }
}
