package dev.inlay.runtime;

import dev.inlay.model.AgentSettings;
import dev.inlay.policy.Policy;
import dev.inlay.policy.PolicyException;
import dev.inlay.policy.PolicyParser;
import dev.inlay.policy.engine.Decision;
import dev.inlay.policy.engine.PolicyEngine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A candidate policy evaluated beside the one in force (docs/DEPLOY.md, "Promoting a policy safely"): it never
 * decides; what it would deny is reported as a {@code shadow} line and every rule it matched is counted for the
 * {@code shadow-hits} lines that {@code inlay policy promote-check} reads. Read once at startup, not reloaded.
 */
final class ShadowPolicy {
    /** The settings inlay wrap records for a baked candidate (inlay.properties). */
    static final String KEY = AgentSettings.SHADOW_POLICY;

    private final PolicyEngine engine;
    private final PolicyIdentity identity;
    private final ConcurrentHashMap<String, HitCounter> hits = new ConcurrentHashMap<>();
    private long hitsSeq;

    private ShadowPolicy(PolicyEngine engine, PolicyIdentity identity) {
        this.engine = engine;
        this.identity = identity;
    }

    /**
     * The candidate named by {@code shadowPolicy}, or null when none is. A candidate inlay wrap baked (the same path
     * as recorded) starts from its compiled form, pinned by the digest recorded with it: no YAML parser before main();
     * any other is read and parsed, and hashed off the start path.
     *
     * @throws PolicyException when the candidate cannot be used
     */
    static ShadowPolicy load(String path, AgentSettings recorded) throws PolicyException {
        if (path == null || path.isBlank()) return null;
        String bakedPath = recorded.shadowPolicy();
        String digest = recorded.shadowPolicyDigest();
        String compiled = recorded.shadowCompiledPolicy();
        if (bakedPath != null
                && digest != null
                && compiled != null
                && Path.of(bakedPath)
                        .toAbsolutePath()
                        .normalize()
                        .equals(Path.of(path).toAbsolutePath().normalize())) {
            Policy policy = PolicyState.readCompiled(new PolicyState.Baked(digest, compiled));
            return new ShadowPolicy(PolicyEngine.compile(policy), PolicyIdentity.known(policy.name(), digest));
        }
        Path file = Path.of(path);
        byte[] bytes = PolicyState.readBounded(file);
        Policy policy = PolicyParser.parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
        return new ShadowPolicy(PolicyEngine.compile(policy), PolicyIdentity.of(policy.name(), bytes));
    }

    PolicyEngine engine() {
        return engine;
    }

    PolicyIdentity identity() {
        return identity;
    }

    /** Counts the rule that decided; allocates nothing once the rule has been seen. */
    void hit(Decision decision) {
        HitCounter.count(hits, decision.ruleId());
    }

    ConcurrentHashMap<String, HitCounter> hits() {
        return hits;
    }

    synchronized long nextHitsSeq() {
        return hitsSeq++;
    }
}
