package dev.inlay.bench;

import dev.inlay.model.Component;
import dev.inlay.policy.Operation;
import dev.inlay.policy.Policy;
import dev.inlay.policy.Rule;
import dev.inlay.policy.Selector;
import dev.inlay.policy.engine.Decision;
import dev.inlay.policy.engine.PolicyEngine;
import org.openjdk.jmh.annotations.*;

/**
 * An allowed decision under a component-scoped rule against the same decision without components (issue 22: <= 1.3x).
 * The policies are DecisionBenchmark's ({@link LearnedShapeBenchmark}), once as they are and once with every rule
 * scoped to its own component ({@code pkg:maven/org.example/componentN}); the component asking is the one whose rule
 * matches, as the agent hands the same Component instance to every decision (the engine's memo on it is built at the
 * first decision).
 */
public class ComponentDecisionBenchmark extends LearnedShapeBenchmark {
    @Param({"10", "1000"})
    int rules;

    PolicyEngine scoped;
    Component who;

    @Setup
    public void compile() throws Exception {
        Policy.Builder plain = Policy.builder("bench");
        Policy.Builder byComponent = Policy.builder("bench-components");
        for (int i = 0; i < rules / 2; i++) {
            Rule file = fileRule(i);
            Rule network = networkRule(i);
            String component = "pkg:maven/org.example/component" + i;
            plain.rule(file).rule(network);
            byComponent.rule(file.toBuilder().selector(Selector.COMPONENTS, component).build());
            byComponent.rule(network.toBuilder().selector(Selector.COMPONENTS, component).build());
        }
        engine = PolicyEngine.compile(plain.build());
        scoped = PolicyEngine.compile(byComponent.build());
        int mid = lookUpTheMiddleOf(rules);
        who = new Component("pkg:maven/org.example/component" + mid + "@1.0.0", "/srv/component" + mid + "/lib/c.jar");
        checkTheAllowedDecisions();
        check(scoped.file(Operation.READ, allowedPath, who), true);
        check(scoped.file(Operation.READ, allowedPath, null), false); // the JVM itself: not its rule
        check(scoped.network(Operation.CONNECT, false, allowedHost, allowedAddress, allowedPort, who), true);
    }

    @Benchmark
    public Decision fileAllowedByComponent() {
        return scoped.file(Operation.READ, allowedPath, who);
    }

    @Benchmark
    public Decision connectAllowedByComponent() {
        return scoped.network(Operation.CONNECT, false, allowedHost, allowedAddress, allowedPort, who);
    }
}
