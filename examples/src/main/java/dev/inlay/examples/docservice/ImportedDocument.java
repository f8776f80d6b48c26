package dev.inlay.examples.docservice;

import java.io.Serializable;

/**
 * The wire format of the legacy desktop client's "import" upload: a Java-serialized object. Reading it with a plain
 * {@code ObjectInputStream} is the deserialization bug.
 */
public final class ImportedDocument implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final String title;
    private final String body;

    public ImportedDocument(String name, String title, String body) {
        this.name = name;
        this.title = title;
        this.body = body;
    }

    public String name() {
        return name;
    }

    public String title() {
        return title;
    }

    public String body() {
        return body;
    }
}
