package dev.inlay.bench;

import dev.inlay.policy.Operation;
import dev.inlay.policy.Policy;
import dev.inlay.policy.engine.Decision;
import dev.inlay.policy.engine.PolicyEngine;
import org.openjdk.jmh.annotations.*;

/**
 * Decision latency against policy size: {@link LearnedShapeBenchmark}'s policy of 10 to 10,000 rules, half file
 * rules, half network rules; fileAllowed and connectAllowed are inherited from it.
 */
public class DecisionBenchmark extends LearnedShapeBenchmark {
    @Param({"10", "1000", "10000"})
    int rules;

    @Setup
    public void compile() throws Exception {
        Policy.Builder p = Policy.builder("bench");
        for (int i = 0; i < rules / 2; i++) p.rule(fileRule(i)).rule(networkRule(i));
        engine = PolicyEngine.compile(p.build());
        lookUpTheMiddleOf(rules);
        checkTheAllowedDecisions();
        check(engine.file(Operation.READ, deniedPath), false);
    }

    @Benchmark
    public Decision fileDenied() {
        return engine.file(Operation.READ, deniedPath);
    }
}
