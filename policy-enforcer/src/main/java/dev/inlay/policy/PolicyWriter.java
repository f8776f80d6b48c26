package dev.inlay.policy;

import java.util.List;
import java.util.Map;

/** Writes a policy as canonical YAML that {@link PolicyParser} reads back to an equal policy. */
public final class PolicyWriter {
    private PolicyWriter() {
    }

    public static String toYaml(Policy policy) {
        return toYaml(policy, Map.of(), List.of());
    }

    /**
     * @param ruleComments comment lines written above each rule, by rule id (evidence: counts, first/last seen)
     * @param header comment lines written at the top of the document
     */
    public static String toYaml(Policy policy, Map<String, List<String>> ruleComments, List<String> header) {
        throw new UnsupportedOperationException("TODO");
    }
}
