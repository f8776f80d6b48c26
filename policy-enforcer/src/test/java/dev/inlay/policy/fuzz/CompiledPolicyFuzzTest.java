package dev.inlay.policy.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.inlay.policy.CompiledPolicy;
import dev.inlay.policy.Policy;
import dev.inlay.policy.PolicyException;
import dev.inlay.policy.engine.PolicyEngine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile bytes for the compiled-policy reader (the agent reads it before main()): anything either reads into a policy
 * that compiles and survives a write/read round trip, or is refused with a PolicyException naming the file. The
 * bytes themselves need not come back: the format has more than one encoding of some values (modified UTF-8 writes a
 * NUL character as two bytes and reads one; a rule without operations reads as all of its category's, as in YAML).
 */
class CompiledPolicyFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void readNeverFailsUnexpectedly(FuzzedDataProvider data) {
        byte[] bytes = data.consumeRemainingAsBytes();
        Policy policy;
        try {
            policy = CompiledPolicy.read(bytes, "policy.bin");
        } catch (PolicyException e) {
            assertTrue(e.getMessage().startsWith("policy.bin"), e.getMessage());
            return;
        }
        PolicyEngine.compile(policy);
        try {
            assertEquals(policy, CompiledPolicy.read(CompiledPolicy.write(policy), "written"));
        } catch (PolicyException e) {
            throw new AssertionError("a policy read from a compiled form does not read back: " + e.getMessage(), e);
        }
    }
}
