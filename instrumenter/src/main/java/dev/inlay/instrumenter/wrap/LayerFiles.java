package dev.inlay.instrumenter.wrap;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one layer contributes to {@link ImageFilesystem}, independent of the layers below it: its executables (size,
 * sha256, kind, a script's text), symbolic links, JDK {@code release} files, the digests of JDK class images, and
 * what it takes away from the layers below (whiteouts, opaque directories, every path it replaces). Applying these in
 * layer order gives exactly the filesystem a full read gives ({@link ImageFilesystem#apply}), so they are cached by
 * the layer's diff_id ({@link #KIND}) and a known layer is never read again.
 *
 * @param hardLinks hard links to a path this layer did not hold as an executable when the link came: resolved
 *                  against the layers below when the layer is applied, as the full read resolves them
 */
public record LayerFiles(
        Map<String, ImageFilesystem.Executable> executables,
        Map<String, String> hardLinks,
        Map<String, String> symlinks,
        Map<String, byte[]> releaseFiles,
        Map<String, JdkFile> jdkFiles,
        Set<String> removed,
        Set<String> opaqueDirs,
        Set<String> replaced) {
    public static final String KIND = "filesystem";
    public static final int VERSION = 1;

    /** A JDK file read by hooking ahead of time ({@code lib/modules}, {@code lib/jrt-fs.jar}): its digest and size. */
    public record JdkFile(String sha256, long size) {}

    /** Sorted copies, so that the same layer always gives the same entry. */
    public LayerFiles {
        executables = new TreeMap<>(executables);
        hardLinks = new TreeMap<>(hardLinks);
        symlinks = new TreeMap<>(symlinks);
        releaseFiles = new TreeMap<>(releaseFiles);
        jdkFiles = new TreeMap<>(jdkFiles);
        removed = new TreeSet<>(removed);
        opaqueDirs = new TreeSet<>(opaqueDirs);
        replaced = new TreeSet<>(replaced);
    }

    /** Records equality compares arrays by identity; release files are compared by content. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LayerFiles other)) return false;
        if (!releaseFiles.keySet().equals(other.releaseFiles.keySet())) return false;
        for (Map.Entry<String, byte[]> e : releaseFiles.entrySet()) {
            if (!java.util.Arrays.equals(e.getValue(), other.releaseFiles.get(e.getKey()))) return false;
        }
        return executables.equals(other.executables)
                && hardLinks.equals(other.hardLinks)
                && symlinks.equals(other.symlinks)
                && jdkFiles.equals(other.jdkFiles)
                && removed.equals(other.removed)
                && opaqueDirs.equals(other.opaqueDirs)
                && replaced.equals(other.replaced);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(executables, symlinks, jdkFiles, removed, replaced);
    }

    /** The layer as its tar's entries come, later entries over earlier ones at the same path. */
    static final class Builder {
        final Map<String, ImageFilesystem.Executable> executables = new HashMap<>();
        final Map<String, String> hardLinks = new HashMap<>();
        final Map<String, String> symlinks = new HashMap<>();
        final Map<String, byte[]> releaseFiles = new HashMap<>();
        final Map<String, JdkFile> jdkFiles = new HashMap<>();
        final Set<String> removed = new HashSet<>();
        final Set<String> opaqueDirs = new HashSet<>();
        final Set<String> replaced = new HashSet<>();

        /** A later entry at {@code path} (not a directory) replaces whatever the layer had there and below. */
        void remove(String path) {
            String prefix = path + "/";
            for (Map<String, ?> m : List.of(executables, hardLinks, symlinks, releaseFiles, jdkFiles)) {
                m.remove(path);
                m.keySet().removeIf(p -> p.startsWith(prefix));
            }
        }

        LayerFiles build() {
            return new LayerFiles(
                    executables, hardLinks, symlinks, releaseFiles, jdkFiles, removed, opaqueDirs, replaced);
        }
    }
}
