package dev.inlay.policy.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.inlay.policy.CompiledPolicy;
import dev.inlay.policy.Policy;
import dev.inlay.policy.PolicyException;
import dev.inlay.policy.PolicyParser;
import dev.inlay.policy.PolicyWriter;
import dev.inlay.policy.engine.PolicyEngine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile input for the policy parser: any text either parses into a policy that compiles and survives a write/read
 * round trip (as YAML and compiled), or is refused with a PolicyException that has a message. Anything else (another exception, a hang) is a
 * finding. Runs its seed corpus in every build; scripts/fuzz.sh fuzzes for a bounded time (JAZZER_FUZZ=1).
 */
class PolicyParserFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parseNeverFailsUnexpectedly(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        Policy policy;
        try {
            policy = PolicyParser.parse(text, "fuzz.yaml");
        } catch (PolicyException e) {
            assertTrue(e.getMessage().startsWith("fuzz.yaml"), e.getMessage());
            return;
        }
        PolicyEngine.compile(policy);
        try {
            assertEquals(policy, CompiledPolicy.read(CompiledPolicy.write(policy), "compiled"));
            assertEquals(policy, PolicyParser.parse(PolicyWriter.toYaml(policy), "written.yaml"));
        } catch (PolicyException e) {
            throw new AssertionError("written policy does not parse back: " + e.getMessage(), e);
        }
    }
}
