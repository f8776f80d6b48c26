package dev.inlay.scanner.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one layer's {@link LayerInventory} from its entries as the caller streams them (the instrumenter owns image
 * I/O): {@link #wants} says which files to hand over, {@link #file} reads one, whiteouts are reported as they come.
 * Paths are absolute and normalized ({@code /app/a.jar}).
 */
public final class LayerScanner {
    public static final String DPKG_STATUS = "/var/lib/dpkg/status";
    public static final String DPKG_STATUS_D = "/var/lib/dpkg/status.d/";
    public static final String APK_INSTALLED = "/lib/apk/db/installed";
    public static final String DOC_DIR = "/usr/share/doc/";
    public static final List<String> OS_RELEASE = List.of("/etc/os-release", "/usr/lib/os-release");
    /** Text files larger than this are not package databases or release files any tool writes. */
    private static final int MAX_TEXT_BYTES = 64 << 20;

    private final List<String> removed = new ArrayList<>();
    private final List<String> opaqueDirs = new ArrayList<>();
    private final Map<String, PathFacts> files = new HashMap<>();

    /** Whether the inventory reads the regular file at {@code path} (by name only, so the caller can decide up front). */
    public static boolean wants(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        // A JDK's lib/jrt-fs.jar is part of the JDK, which its release file identifies.
        return Archives.isArchiveName(name) && !path.endsWith("/lib/jrt-fs.jar")
                || path.equals(DPKG_STATUS)
                || path.startsWith(DPKG_STATUS_D)
                        && path.indexOf('/', DPKG_STATUS_D.length()) < 0
                        && !name.endsWith(".md5sums")
                || path.equals(APK_INSTALLED)
                || name.equals("release")
                || OS_RELEASE.contains(path)
                || isCopyright(path);
    }

    private static boolean isCopyright(String path) {
        return path.startsWith(DOC_DIR)
                && path.endsWith("/copyright")
                && path.indexOf('/', DOC_DIR.length()) == path.length() - "/copyright".length();
    }

    /** The package a {@code /usr/share/doc/PKG/copyright} path belongs to, or null. */
    public static String copyrightPackage(String path) {
        return isCopyright(path) ? path.substring(DOC_DIR.length(), path.length() - "/copyright".length()) : null;
    }

    /** Reads one wanted regular file; {@code content} is read (not necessarily to its end) and not closed. */
    public void file(String path, long size, InputStream content) throws IOException {
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (Archives.isArchiveName(name)) {
            files.put(path, new PathFacts(List.of(Archives.identify(path, content)), List.of(), Map.of()));
            return;
        }
        if (size > MAX_TEXT_BYTES) {
            files.put(path, PathFacts.EMPTY);
            return;
        }
        String text = new String(content.readNBytes((int) size), StandardCharsets.UTF_8);
        if (path.equals(DPKG_STATUS) || path.startsWith(DPKG_STATUS_D)) {
            files.put(path, new PathFacts(SystemFiles.dpkgStatus(path, text), List.of(), Map.of()));
        } else if (path.equals(APK_INSTALLED)) {
            files.put(path, new PathFacts(SystemFiles.apkInstalled(path, text), List.of(), Map.of()));
        } else if (OS_RELEASE.contains(path)) {
            files.put(path, new PathFacts(List.of(), List.of(), SystemFiles.shellValues(text)));
        } else if (isCopyright(path)) {
            files.put(path, new PathFacts(List.of(), SystemFiles.dep5Licences(text), Map.of()));
        } else {
            FoundComponent jdk = SystemFiles.jdkRelease(path, text);
            files.put(path, jdk == null ? PathFacts.EMPTY : new PathFacts(List.of(jdk), List.of(), Map.of()));
        }
    }

    /** Any other entry at a path the inventory may know from a lower layer (a directory, link, or unwanted file). */
    public void replaced(String path) {
        files.put(path, PathFacts.EMPTY);
    }

    /** A {@code .wh.NAME} entry: {@code path} (and anything under it) is deleted from the layers below. */
    public void whiteout(String path) {
        removed.add(path);
    }

    /** A {@code .wh..wh..opq} entry: {@code dir}'s content in the layers below is hidden ("/" for the root). */
    public void opaque(String dir) {
        opaqueDirs.add(dir);
    }

    public LayerInventory finish() {
        return new LayerInventory(removed, opaqueDirs, files);
    }
}
