package dev.inlay.runtime;

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
 */
final class PolicyState {
    /**
     * What checks use: swapped as a whole. engine is null in learn mode without a policy; so is identity, the policy's
     * name and document digest as events report them.
     */
    record Active(Mode mode, PolicyEngine engine, String policyName, PolicyIdentity identity) {
    }

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
    private long fileMtime;
    private long fileSize;

    /** The digest {@code inlay wrap} recorded for a policy baked into the image ({@code sha256:...}), else null. */
    private String pinnedDigest;
    /** The bytes {@link #read()} last parsed. */
    private byte[] readBytes;

    private PolicyState(Mode configuredMode, Path file) {
        this.configuredMode = configuredMode;
        this.file = file;
    }

    /**
     * Reads the policy file; a pinned file must still have the digest recorded at wrap time: a baked policy changed
     * on disk (a later image layer, a writable root file system) is refused, not trusted.
     */
    private Policy read() throws PolicyException {
        byte[] bytes = readPinned(file, pinnedDigest,
                "wrap the image again with the new policy, or deliver it through INLAY_POLICY / INLAY_POLICY_B64");
        readBytes = bytes;
        return PolicyParser.parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
    }

    private static Policy readCompiled(Baked baked) throws PolicyException {
        String where = "inlay.properties compiledPolicy";
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(baked.compiled());
        } catch (IllegalArgumentException e) {
            throw new PolicyException(where, 0, 0, "compiled policy is damaged: not base64 (" + e.getMessage() + ")",
                    "wrap the image again");
        }
        return CompiledPolicy.read(bytes, where);
    }

    /**
     * A policy file's bytes, refused when they no longer have the digest recorded at wrap time.
     *
     * @param digest the recorded digest; null when the file is not pinned
     */
    private static byte[] readPinned(Path file, String digest, String hint)
            throws PolicyException {
        byte[] bytes;
        // java.io, not Files: at startup NIO's channel classes are not loaded yet, and this runs before main().
        try (java.io.InputStream in = new java.io.FileInputStream(file.toFile())) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new PolicyException(file.toString(), 0, 0, "cannot read policy: " + e, null);
        }
        if (digest != null && !digest.equalsIgnoreCase(Sha256.of(bytes))) {
            throw new PolicyException(file.toString(), 0, 0, "does not match the digest recorded when the image was"
                    + " wrapped (" + digest + "): it was changed after wrapping", hint);
        }
        return bytes;
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
    record Baked(String digest, String compiled) {
    }

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
                policy = PolicyParser.parse(new String(bytes, StandardCharsets.UTF_8), "INLAY_POLICY_B64");
                document = bytes;
            } else if (file != null) {
                state.remember();
                if (baked != null && baked.compiled() != null) {
                    // The compiled twin of the YAML whose digest inlay wrap recorded: no SHA-256 before main().
                    policy = readCompiled(baked);
                    digest = baked.digest();
                } else {
                    policy = state.read();
                    document = state.readBytes;
                    state.readBytes = null;
                    digest = state.pinnedDigest; // checked against the bytes: a pinned file is the one wrapped
                }
            }
        } catch (PolicyException e) {
            throw new Unusable("policy cannot be used: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new Unusable("INLAY_POLICY_B64 is not base64: " + e.getMessage());
        } catch (RuntimeException e) {
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
        PolicyIdentity identity = digest != null ? PolicyIdentity.known(policy.name(), digest)
                : PolicyIdentity.of(policy.name(), document);
        return new Active(mode, PolicyEngine.compile(policy), policy.name(), identity);
    }

    Active active() {
        return active;
    }

    Path file() {
        return file;
    }

    private boolean remember() {
        // java.io.File, not Files.readAttributes: the first look is before main(), where NIO's attribute classes are
        // not loaded yet. Both follow a ConfigMap's symbolic links.
        java.io.File f = file.toFile();
        long mtime = f.lastModified();
        long size = f.length();
        // A file being replaced (ConfigMap symlink swap) is looked at again on the next poll; an image may well date
        // its files to 1970, hence the second look.
        if (mtime == 0L && !f.exists()) return false;
        boolean changed = mtime != fileMtime || size != fileSize;
        fileMtime = mtime;
        fileSize = size;
        return changed;
    }

    /**
     * Reloads the policy file when it changed.
     *
     * @return null when nothing changed, otherwise a one-line outcome: {@code "reloaded <name>"} or the failure
     * @throws PolicyException when the new version does not parse (the last good policy stays in force)
     */
    String poll() throws PolicyException {
        if (file == null || !remember()) return null;
        Policy policy = read();
        active = activate(policy, pinnedDigest, readBytes);
        readBytes = null;
        return policy.name();
    }
}
