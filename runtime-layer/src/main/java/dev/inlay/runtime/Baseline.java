package dev.inlay.runtime;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The drift baseline: the executable files of the original image ({@code sha256<TAB>size<TAB>path}). A file drifted
 * when it is missing from the baseline or its size or digest changed. Digests are cached per path, size and mtime.
 */
final class Baseline {
    private record Entry(String sha256, long size) {}

    private record Cached(long size, long mtime, String sha256) {}

    /** The file's text until the first lookup parses it, then null. */
    private byte[] text;

    private volatile Map<String, Entry> entries;
    private final ConcurrentHashMap<String, Cached> digests = new ConcurrentHashMap<>();

    private Baseline(byte[] text) {
        this.text = text;
    }

    /**
     * Reads the file now (an unreadable baseline is reported at startup) and parses it at the first lookup: parsing
     * a few hundred lines in the interpreter took 17-30 ms before main(), and a process start is rarer than a JVM
     * start. Read with java.io, not Files: NIO's channel classes are not loaded yet at that point.
     */
    static Baseline load(Path file) throws IOException {
        try (InputStream in = new FileInputStream(file.toFile())) {
            return new Baseline(in.readAllBytes());
        }
    }

    private Map<String, Entry> entries() {
        Map<String, Entry> parsed = entries;
        if (parsed == null) {
            synchronized (this) {
                parsed = entries;
                if (parsed == null) {
                    entries = parsed = parse(text);
                    text = null;
                }
            }
        }
        return parsed;
    }

    private static Map<String, Entry> parse(byte[] text) {
        List<String> lines = new String(text, StandardCharsets.UTF_8).lines().toList();
        Map<String, Entry> entries = new HashMap<>(lines.size() * 2);
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] parts = line.split("\t", 3);
            if (parts.length != 3) continue;
            try {
                entries.put(parts[2], new Entry(parts[0].toLowerCase(), Long.parseLong(parts[1])));
            } catch (NumberFormatException ignored) {
                // a malformed line cannot vouch for its file: that file counts as drift
            }
        }
        return entries;
    }

    int size() {
        return entries().size();
    }

    /**
     * True when executing this (absolute, normalized) file is drift: neither it nor, for a symbolic link, the file it
     * resolves to is in the baseline with the same size and digest. Unreadable files count as drift.
     */
    boolean drifted(String path) {
        Path file = Path.of(path);
        Map<String, Entry> entries = entries();
        Entry entry = entries.get(path);
        try {
            if (entry == null) {
                // The kernel runs what a symbolic link points to (/usr/bin/sh -> dash): judge that file.
                file = file.toRealPath();
                entry = entries.get(file.toString());
                if (entry == null) return true;
                path = file.toString();
            }
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            if (attrs.size() != entry.size) return true;
            long mtime = attrs.lastModifiedTime().toMillis();
            Cached cached = digests.get(path);
            if (cached == null || cached.size != attrs.size() || cached.mtime != mtime) {
                cached = new Cached(attrs.size(), mtime, sha256(file));
                digests.put(path, cached);
            }
            return !cached.sha256.equals(entry.sha256);
        } catch (IOException e) {
            return true;
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) > 0) md.update(buffer, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
