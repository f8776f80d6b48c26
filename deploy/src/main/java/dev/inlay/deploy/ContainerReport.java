package dev.inlay.deploy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What a rewrite did (or, with {@code --check}, found) for one container. */
public final class ContainerReport {
    /** The outcome for the container's image. */
    public enum Status {
        /** The image was replaced by its wrapped image. */
        WRAPPED,
        /** The image already was a wrapped one. */
        ALREADY_WRAPPED,
        /** Not mapped: the container is left exactly as it was (a sidecar that is not Java, say). */
        LEFT_AS_IS,
        /** Named by {@code --skip-container}: left exactly as it was. */
        SKIPPED,
        /** {@code --check}: the image does not look wrapped. */
        NOT_WRAPPED
    }

    private final String where;
    private final String name;
    private final String imageBefore;
    private String imageAfter;
    private Status status;
    private String reason;
    private final List<String> changes = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    ContainerReport(String where, String name, String image) {
        this.where = where;
        this.name = name;
        this.imageBefore = image;
        this.imageAfter = image;
    }

    void status(Status s, String why) {
        this.status = s;
        this.reason = why;
    }

    void imageAfter(String image) {
        this.imageAfter = image;
    }

    void change(String what) {
        changes.add(what);
    }

    void warn(String what) {
        warnings.add(what);
    }

    public String where() {
        return where;
    }

    public String name() {
        return name;
    }

    public String imageBefore() {
        return imageBefore;
    }

    public String imageAfter() {
        return imageAfter;
    }

    public Status status() {
        return status;
    }

    /** Why the container was left as is or failed the check; null otherwise. */
    public String reason() {
        return reason;
    }

    /** One line per change to the document, image first; empty when the container is unchanged. */
    public List<String> changes() {
        return Collections.unmodifiableList(changes);
    }

    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    public boolean changed() {
        return !changes.isEmpty();
    }
}
