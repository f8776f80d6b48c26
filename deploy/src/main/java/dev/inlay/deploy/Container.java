package dev.inlay.deploy;

import java.util.List;

/** One container of a deployment document, seen the same way whatever the platform and the document format. */
interface Container {
    /** The container's name, or null when the document gives none (a single-container Cloud Run service). */
    String name();

    /** Where in the document, for the summary: {@code Deployment shop/orders containers[0]}. */
    String where();

    /** The image reference, or null when the document gives none. */
    String image();

    void setImage(String image);

    Env env();

    /**
     * Refuses (exit 3) shapes the platform would reject, whatever inlay would change: an image that is not a string,
     * an environment that is not a list of named entries. Checked for every container, wrapped or not.
     */
    void checkShape();

    /** The container's environment variables: a list of named entries, each a literal value or a reference. */
    interface Env {
        /** The entry for {@code name}, or null. */
        Entry get(String name);

        /** Sets a literal value: the existing entry in place (its position kept) or a new entry at the end. */
        void put(String name, String value);

        /** Removes the entry; false when there was none. */
        boolean remove(String name);

        /** Appends a Kubernetes downward-API entry ({@code valueFrom.fieldRef.fieldPath}). */
        default void putFieldRef(String name, String fieldPath) {
            throw new UnsupportedOperationException("this platform has no downward API");
        }

        /** Variables set from sources this document does not show (env files, config maps), as descriptions. */
        default List<String> opaqueSources() {
            return List.of();
        }
    }

    /** A literal value, or a reference ({@code valueFrom}, {@code secureValue}, an ECS secret) described for people. */
    record Entry(String name, String literal, String reference) {
        boolean isLiteral() {
            return reference == null;
        }
    }
}
