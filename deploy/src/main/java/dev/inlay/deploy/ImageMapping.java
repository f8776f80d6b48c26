package dev.inlay.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which image reference replaces which: explicit pairs ({@code ORIG=WRAPPED}) first, then an optional tag-suffix rule
 * ({@code registry/app:1.4} becomes {@code registry/app:1.4-inlay}). Immutable; build with {@link #builder()}.
 * A reference that already is a wrapped one (a right-hand side, or a tag that ends with the suffix) maps to itself,
 * so that rewriting a rewritten document changes nothing.
 */
public final class ImageMapping {
    /** What {@code --check} accepts when no mapping and no suffix were given. */
    public static final String DEFAULT_SUFFIX = "-inlay";

    private final Map<String, String> explicit;
    private final String suffix;

    private ImageMapping(Map<String, String> explicit, String suffix) {
        this.explicit = Collections.unmodifiableMap(new LinkedHashMap<>(explicit));
        this.suffix = suffix;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Map<String, String> explicit() {
        return explicit;
    }

    public Optional<String> suffix() {
        return Optional.ofNullable(suffix);
    }

    public boolean isEmpty() {
        return explicit.isEmpty() && suffix == null;
    }

    /** The mapping {@code --check} uses: this one, or the default suffix convention when this one says nothing. */
    public ImageMapping orDefaultConvention() {
        return isEmpty() ? new ImageMapping(Map.of(), DEFAULT_SUFFIX) : this;
    }

    /** What happens to one image reference. */
    public Resolution resolve(String image) {
        if (explicit.containsValue(image)) return Resolution.alreadyWrapped(image);
        String mapped = explicit.get(image);
        if (mapped != null) return Resolution.mapped(image, mapped);
        if (suffix == null) return Resolution.unmapped(image, "not in the image map");
        ImageReference ref = ImageReference.parse(image);
        if (ref.tag().endsWith(suffix)) return Resolution.alreadyWrapped(image);
        if (ref.digest() != null) {
            return Resolution.unmapped(
                    image, "pinned by digest; a tag suffix cannot name the wrapped image (use --image-map)");
        }
        return Resolution.mapped(image, ref.withTag(ref.tag() + suffix).toString());
    }

    /** The outcome for one reference: the image to use, or why there is none. */
    public record Resolution(String original, String wrapped, boolean alreadyWrapped, String reason) {
        static Resolution mapped(String original, String wrapped) {
            return new Resolution(original, wrapped, false, null);
        }

        static Resolution alreadyWrapped(String image) {
            return new Resolution(image, image, true, null);
        }

        static Resolution unmapped(String image, String reason) {
            return new Resolution(image, null, false, reason);
        }

        public boolean isWrapped() {
            return wrapped != null;
        }
    }

    public static final class Builder {
        private final Map<String, String> explicit = new LinkedHashMap<>();
        private String suffix;

        private Builder() {}

        /** One {@code ORIG=WRAPPED} pair as given on the command line or in a mapping file. */
        public Builder pair(String spec, String where) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new DeployInputException(where + ": image mapping must be ORIG=WRAPPED, got '" + spec + "'");
            }
            return pair(spec.substring(0, eq).trim(), spec.substring(eq + 1).trim(), where);
        }

        public Builder pair(String original, String wrapped, String where) {
            ImageReference.parse(original);
            ImageReference.parse(wrapped);
            if (original.equals(wrapped)) {
                throw new DeployInputException(where + ": image mapping maps '" + original + "' to itself");
            }
            String before = explicit.putIfAbsent(original, wrapped);
            if (before != null && !before.equals(wrapped)) {
                throw new DeployInputException(
                        where + ": '" + original + "' is mapped twice: to '" + before + "' and to '" + wrapped + "'");
            }
            return this;
        }

        /** An image mapping file larger than this is refused before it is read: thousands of images fit in 1 MiB. */
        static final long MAX_FILE_BYTES = 16L * 1024 * 1024;
        /** Two image references and an '=': registry references are limited to 255 characters a name. */
        static final int MAX_LINE_CHARS = 4096;

        /**
         * Lines {@code ORIG=WRAPPED}; blank lines and lines starting with {@code #} are skipped. The file is refused by
         * its size over {@link #MAX_FILE_BYTES} before it is read, a line over {@link #MAX_LINE_CHARS} by its number.
         */
        public Builder file(Path file) throws IOException {
            UserFiles.requireFile(file); // missing or a directory: an I/O error naming the path
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new DeployInputException(file + ": " + size + " bytes, more than the limit of " + MAX_FILE_BYTES
                        + " for an image mapping file");
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).length() > MAX_LINE_CHARS) {
                    throw new DeployInputException(file + ":" + (i + 1) + ": a line longer than " + MAX_LINE_CHARS
                            + " characters; each line is ORIG=WRAPPED");
                }
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                pair(line, file + ":" + (i + 1));
            }
            return this;
        }

        public Builder suffix(String tagSuffix) {
            if (tagSuffix != null) {
                if (tagSuffix.isEmpty() || !tagSuffix.matches("[A-Za-z0-9_.-]+")) {
                    throw new DeployInputException(
                            "--suffix must be characters allowed in an image tag, got '" + tagSuffix + "'");
                }
            }
            this.suffix = tagSuffix;
            return this;
        }

        public ImageMapping build() {
            return new ImageMapping(explicit, suffix);
        }
    }

    /** {@code [registry/]repository[:tag][@digest]}, split just enough to change the tag. */
    record ImageReference(String repository, String tag, boolean tagGiven, String digest) {
        static ImageReference parse(String image) {
            Objects.requireNonNull(image);
            if (image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
                throw new DeployInputException("not an image reference: '" + image + "'");
            }
            String rest = image;
            String digest = null;
            int at = rest.indexOf('@');
            if (at >= 0) {
                digest = rest.substring(at + 1);
                rest = rest.substring(0, at);
            }
            int colon = rest.lastIndexOf(':');
            if (colon > rest.lastIndexOf('/')) {
                return new ImageReference(rest.substring(0, colon), rest.substring(colon + 1), true, digest);
            }
            return new ImageReference(rest, "latest", false, digest);
        }

        ImageReference withTag(String newTag) {
            return new ImageReference(repository, newTag, true, digest);
        }

        @Override
        public String toString() {
            return repository + (tagGiven ? ":" + tag : "") + (digest == null ? "" : "@" + digest);
        }
    }
}
