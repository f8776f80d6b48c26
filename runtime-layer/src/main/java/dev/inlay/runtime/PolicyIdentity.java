package dev.inlay.runtime;

import dev.inlay.model.JsonLine;

/**
 * The policy in force as events name it: its name and the SHA-256 of its document as installed. A digest inlay wrap
 * recorded is known at once; any other is computed at its first use, once, on the thread that writes events: at
 * startup MessageDigest would load some 70 classes (providers, VarHandles) before the application's main().
 */
final class PolicyIdentity {
    private final String name;
    /** The document until it is hashed. */
    private byte[] document;

    private volatile String digest;
    private volatile String json;

    private PolicyIdentity(String name, byte[] document, String digest) {
        this.name = name;
        this.document = document;
        this.digest = digest;
    }

    /** A policy whose digest is already known (inlay wrap recorded it). */
    static PolicyIdentity known(String name, String digest) {
        return new PolicyIdentity(name, null, digest);
    }

    /** A policy read from these bytes, hashed when its digest is first asked for. */
    static PolicyIdentity of(String name, byte[] document) {
        return new PolicyIdentity(name, document, null);
    }

    String name() {
        return name;
    }

    /** The digest if it needs no hashing now, else null. */
    String knownDigest() {
        return digest;
    }

    String digest() {
        String d = digest;
        if (d != null) return d;
        synchronized (this) {
            if (digest == null) {
                digest = Sha256.of(document);
                document = null;
            }
            return digest;
        }
    }

    /** {@code {"name":..,"digest":..}}, written once. */
    String json() {
        String j = json;
        if (j == null) {
            j = JsonLine.object().field("name", name).field("digest", digest()).end();
            json = j;
        }
        return j;
    }
}
