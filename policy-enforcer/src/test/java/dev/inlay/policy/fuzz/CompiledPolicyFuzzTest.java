package dev.inlay.policy.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.inlay.policy.CompiledPolicy;
import dev.inlay.policy.Policy;
import dev.inlay.policy.PolicyException;
import dev.inlay.policy.engine.PolicyEngine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile bytes for the compiled-policy reader (the agent reads it before main()): anything either reads into a policy
 * that compiles and writes back to the same bytes, or is refused with a PolicyException naming the file.
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
        assertArrayEquals(bytes, CompiledPolicy.write(policy));
    }
}
