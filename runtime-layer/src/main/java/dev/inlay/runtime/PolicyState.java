package dev.inlay.runtime;

import dev.inlay.model.AgentSettings;
import dev.inlay.policy.CompiledPolicy;
import dev.inlay.policy.Mode;
import dev.inlay.policy.Policy;
import dev.inlay.policy.PolicyException;
import dev.inlay.policy.PolicyParser;
import dev.inlay.policy.engine.PolicyEngine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The policy in force and the mode. A policy file is polled for changes (a ConfigMap update) and reloaded; a reload
 * that fails keeps the last good policy. Application threads read one volatile field.
 *
 * <p>Changes are detected by content (a SHA-256 of the bytes), not by size and modification time, which a copy that
 * keeps both ({@code cp -p}, {@code rsync -t}) leaves as they were. New content is used only once two polls in a row
 * read the same bytes: a file being rewritten in place changes between polls, and what a poll reads in the middle of
 * a rewrite (often a valid policy with fewer rules) is never activated. Atomic replacement (rename, as a ConfigMap
 * update does) needs no such wait to be safe; docs/POLICY.md, "Changing a policy file".
 */
final class PolicyState {
    /**
     * What checks use: swapped as a whole. engine is null in learn mode without a policy; so is identity, the policy's
     * name and document digest as events report them.
     */
    record Active(Mode mode, PolicyEngine engine, String policyName, PolicyIdentity identity) {}

    /** Thrown when the configured policy cannot be used at startup. */
    static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String message) {
            super(message, null, false, false);
        }
    }

    private final Mode configuredMode;
    private final Path file;
    private volatile Active active;
    /** The content last acted on (activated or refused), as {@link Sha256#of}; null until the first poll. */
    private String seenDigest;
    /** The bytes read at startup, compared on the first poll instead of hashing before main(). */
    private byte[] startupBytes;
    /** New content seen by the previous poll, used when the next poll reads it again unchanged. */
    private String pendingDigest;
    /** The digest of the policy file a reload activated last, for its status line; null before the first. */
    private volatile String activeDigest;
    /** Why the file could not be read at the last poll (over the size limit, unreadable), reported once. */
    private String readProblem;

    /** The digest {@code inlay wrap} recorded for a policy baked into the image ({@code sha256:...}), else null. */
    private String pinnedDigest;

    private PolicyState(Mode configuredMode, Path file) {
        this.configuredMode = configuredMode;
        this.file = file;
    }

    /**
     * Reads the policy file; a pinned file must still have the digest recorded at wrap time: a baked policy changed
     * on disk (a later image layer, a writable root file system) is refused, not trusted.
     */
    private Policy read() throws PolicyException {
        byte[] bytes = readPinned(
                file,
                pinnedDigest,
                "wrap the image again with the new policy, or deliver it through INLAY_POLICY / INLAY_POLICY_B64");
        startupBytes = bytes;
        return PolicyParser.parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
    }

    static Policy readCompiled(Baked baked) throws PolicyException {
        String where = "inlay.properties compiledPolicy";
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(baked.compiled());
        } catch (IllegalArgumentException e) {
            throw new PolicyException(
                    where,
                    0,
                    0,
                    "compiled policy is damaged: not base64 (" + e.getMessage() + ")",
                    "wrap the image again");
        }
        return CompiledPolicy.read(bytes, where);
    }

    /**
     * A policy file's bytes, refused when they no longer have the digest recorded at wrap time.
     *
     * @param digest the recorded digest; null when the file is not pinned
     */
    private static byte[] readPinned(Path file, String digest, String hint) throws PolicyException {
        byte[] bytes = readBounded(file);
        // hashed only when pinned: an unpinned policy's digest is computed after main() (docs/EVENTS.md)
        if (digest != null) checkPinned(file, digest, Sha256.of(bytes), hint);
        return bytes;
    }

    private static void checkPinned(Path file, String digest, String actual, String hint) throws PolicyException {
        if (digest != null && !digest.equalsIgnoreCase(actual)) {
            throw new PolicyException(
                    file.toString(),
                    0,
                    0,
                    "does not match the digest recorded when the image was" + " wrapped (" + digest
                            + "): it was changed after wrapping",
                    hint);
        }
    }

    /** The file's bytes, refused by its size over {@link PolicyParser#MAX_BYTES} before it is read. */
    static byte[] readBounded(Path file) throws PolicyException {
        // java.io, not Files: at startup NIO's channel classes are not loaded yet, and this runs before main().
        java.io.File f = file.toFile();
        try (java.io.InputStream in = new java.io.FileInputStream(f)) {
            long size = f.length();
            byte[] bytes = size > PolicyParser.MAX_BYTES ? null : in.readNBytes((int) PolicyParser.MAX_BYTES + 1);
            if (bytes == null || bytes.length > PolicyParser.MAX_BYTES) {
                throw new PolicyException(
                        file.toString(),
                        0,
                        0,
                        "the policy is " + (bytes == null ? size : "over " + PolicyParser.MAX_BYTES)
                                + " bytes, more than the limit of " + PolicyParser.MAX_BYTES
                                + " (32 MiB)",
                        "check that this is the policy file");
            }
            return bytes;
        } catch (IOException e) {
            throw new PolicyException(file.toString(), 0, 0, "cannot read policy: " + e, null);
        }
    }

    /**
     * @param mode the configured mode, or null to take the policy's
     * @throws Unusable when a policy is configured but cannot be read or parsed, or enforce/monitor has no policy
     */
    static PolicyState load(String mode, String policyPath, String policyBase64) throws Unusable {
        return load(mode, policyPath, policyBase64, null);
    }

    /**
     * What {@code inlay wrap} recorded for the policy it baked in: the YAML file's digest and, when it compiled the
     * policy, the compiled form (base64), which sits in inlay.properties next to the digests rather than in a file
     * pinned by one: the same trust, without a SHA-256 before main. The agent starts from it (no YAML parser before
     * main); the YAML stays the file that is polled for changes, and is checked against its digest when it changes.
     */
    record Baked(String digest, String compiled) {}

    /** @param baked what inlay wrap recorded for the policy file (then the file is pinned to it), or null */
    static PolicyState load(String mode, String policyPath, String policyBase64, Baked baked) throws Unusable {
        Mode configured = null;
        if (mode != null) {
            configured = Mode.fromWire(mode);
            if (configured == null) throw new Unusable("unknown mode '" + mode + "' (learn, monitor, enforce)");
        }
        Path file = policyBase64 == null && policyPath != null && !policyPath.isBlank() ? Path.of(policyPath) : null;
        PolicyState state = new PolicyState(configured, file);
        state.pinnedDigest = file == null || baked == null ? null : baked.digest();
        Policy policy = null;
        byte[] document = null;
        String digest = null;
        try {
            if (policyBase64 != null) {
                byte[] bytes = Base64.getMimeDecoder().decode(policyBase64);
                policy = PolicyParser.parse(new String(bytes, StandardCharsets.UTF_8), AgentSettings.ENV_POLICY_BASE64);
                document = bytes;
            } else if (file != null) {
                if (baked != null && baked.compiled() != null) {
                    // The compiled twin of the YAML whose digest inlay wrap recorded: no SHA-256 before main(), and
                    // the YAML is not read before main(); unchanged, it has that digest.
                    policy = readCompiled(baked);
                    digest = baked.digest();
                    state.seenDigest = digest;
                } else {
                    policy = state.read();
                    document = state.startupBytes; // hashed at the first event, off the start path
                    digest = state.pinnedDigest; // checked against the bytes: a pinned file is the one wrapped
                }
            }
        } catch (PolicyException e) {
            throw new Unusable("policy cannot be used: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new Unusable(AgentSettings.ENV_POLICY_BASE64 + " is not base64: " + e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            // The parser bounds nesting; whatever still escapes it is an unusable policy, not an agent failure.
            throw new Unusable("policy cannot be used: " + e);
        }
        if (policy == null) {
            if (configured == Mode.ENFORCE || configured == Mode.MONITOR) {
                throw new Unusable("mode " + configured.wireName() + " needs a policy (set policy= or INLAY_POLICY)");
            }
            state.active = new Active(Mode.LEARN, null, null, null);
        } else {
            state.active = state.activate(policy, digest, document);
        }
        return state;
    }

    /** Learn mode without a policy: used when the policy is unusable but failOpen is set. */
    static PolicyState learnOnly() {
        PolicyState state = new PolicyState(Mode.LEARN, null);
        state.active = new Active(Mode.LEARN, null, null, null);
        return state;
    }

    private Active activate(Policy policy, String digest, byte[] document) {
        Mode mode = configuredMode != null ? configuredMode : policy.mode();
        PolicyIdentity identity = digest != null
                ? PolicyIdentity.known(policy.name(), digest)
                : PolicyIdentity.of(policy.name(), document);
        return new Active(mode, PolicyEngine.compile(policy), policy.name(), identity);
    }

    Active active() {
        return active;
    }

    Path file() {
        return file;
    }

    /** The SHA-256 ({@code sha256:...}) of the policy file the last reload activated; null before the first. */
    String activeDigest() {
        return activeDigest;
    }

    /**
     * Reloads the policy file when its content changed and read the same on two polls in a row. Each content is acted
     * on once: a refused version is not reported again until the file changes.
     *
     * @return null when nothing is to be done, otherwise the name of the policy now in force
     * @throws PolicyException when the new version cannot be used (the last good policy stays in force)
     */
    String poll() throws PolicyException {
        // A file being replaced (ConfigMap symlink swap) is looked at again on the next poll.
        if (file == null || !file.toFile().exists()) return null;
        byte[] bytes;
        try {
            bytes = readBounded(file);
            readProblem = null;
        } catch (PolicyException e) {
            if (e.getMessage().equals(readProblem)) return null; // reported once, not every poll
            readProblem = e.getMessage();
            throw e;
        }
        String digest = Sha256.of(bytes);
        if (startupBytes != null) {
            seenDigest = java.util.Arrays.equals(bytes, startupBytes) ? digest : Sha256.of(startupBytes);
            startupBytes = null;
        }
        if (digest.equals(seenDigest)) {
            pendingDigest = null;
            return null;
        }
        if (!digest.equals(pendingDigest)) {
            pendingDigest = digest; // new, or still changing: a writer may be in the middle of it
            return null;
        }
        pendingDigest = null;
        seenDigest = digest;
        checkPinned(
                file,
                pinnedDigest,
                digest,
                "wrap the image again with the new policy, or deliver it through INLAY_POLICY / INLAY_POLICY_B64");
        Policy policy = PolicyParser.parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
        active = activate(policy, digest, null);
        activeDigest = digest;
        return policy.name();
    }
}
