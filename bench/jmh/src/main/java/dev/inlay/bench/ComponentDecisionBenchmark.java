package dev.inlay.bench;

import dev.inlay.model.Component;
import dev.inlay.policy.Category;
import dev.inlay.policy.Operation;
import dev.inlay.policy.Policy;
import dev.inlay.policy.Rule;
import dev.inlay.policy.Selector;
import dev.inlay.policy.engine.Decision;
import dev.inlay.policy.engine.PolicyEngine;
import org.openjdk.jmh.annotations.*;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

/**
 * An allowed decision under a component-scoped rule against the same decision without components (issue 22: <= 1.3x).
 * The policies are DecisionBenchmark's, once as they are and once with every rule scoped to its own component
 * ({@code pkg:maven/org.example/componentN}); the component asking is the one whose rule matches, as the agent hands
 * the same Component instance to every decision (the engine's memo on it is built at the first decision).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xmx512m"})
public class ComponentDecisionBenchmark {
    @Param({"10", "1000"})
    int rules;

    PolicyEngine unscoped;
    PolicyEngine scoped;
    Component who;
    String allowedPath;
    String allowedHost;
    InetAddress allowedAddress;
    int allowedPort;

    @Setup
    public void compile() throws Exception {
        Policy.Builder plain = Policy.builder("bench");
        Policy.Builder byComponent = Policy.builder("bench-components");
        int half = rules / 2;
        for (int i = 0; i < half; i++) {
            Rule file = Rule.builder("f" + i, Category.FILE).operations(Operation.READ, Operation.LIST)
                    .selector(Selector.PATHS, "/srv/component" + i + "/lib/*.jar", "/srv/component" + i + "/conf/**").build();
            Rule network = Rule.builder("n" + i, Category.NETWORK).operations(Operation.CONNECT)
                    .selector(Selector.HOSTS, "svc" + i + ".cluster.local")
                    .selector(Selector.CIDRS, "10." + (i / 256) + "." + (i % 256) + ".0/24")
                    .selector(Selector.PORTS, Integer.toString(1024 + i)).build();
            String component = "pkg:maven/org.example/component" + i;
            plain.rule(file).rule(network);
            byComponent.rule(file.toBuilder().selector(Selector.COMPONENTS, component).build());
            byComponent.rule(network.toBuilder().selector(Selector.COMPONENTS, component).build());
        }
        unscoped = PolicyEngine.compile(plain.build());
        scoped = PolicyEngine.compile(byComponent.build());
        int mid = half / 2;
        who = new Component("pkg:maven/org.example/component" + mid + "@1.0.0", "/srv/component" + mid + "/lib/c.jar");
        allowedPath = "/srv/component" + mid + "/lib/spring-core-6.1.2.jar";
        allowedHost = "svc" + mid + ".cluster.local";
        allowedAddress = InetAddress.getByName("10." + (mid / 256) + "." + (mid % 256) + ".17");
        allowedPort = 1024 + mid;
        check(unscoped.file(Operation.READ, allowedPath), true);
        check(scoped.file(Operation.READ, allowedPath, who), true);
        check(scoped.file(Operation.READ, allowedPath, null), false); // the JVM itself: not its rule
        check(scoped.network(Operation.CONNECT, false, allowedHost, allowedAddress, allowedPort, who), true);
        check(unscoped.network(Operation.CONNECT, false, allowedHost, allowedAddress, allowedPort), true);
    }

    private static void check(Decision d, boolean allowed) {
        if (d.action().blocks() == allowed) throw new IllegalStateException("benchmark setup is wrong: " + d);
    }

    @Benchmark
    public Decision fileAllowed() {
        return unscoped.file(Operation.READ, allowedPath);
    }

    @Benchmark
    public Decision fileAllowedByComponent() {
        return scoped.file(Operation.READ, allowedPath, who);
    }

    @Benchmark
    public Decision connectAllowed() {
        return unscoped.network(Operation.CONNECT, false, allowedHost, allowedAddress, allowedPort);
    }

    @Benchmark
    public Decision connectAllowedByComponent() {
        return scoped.network(Operation.CONNECT, false, allowedHost, allowedAddress, allowedPort, who);
    }
}
