package dev.inlay.bench;

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
 * Decision latency against policy size. Half the rules are file rules shaped like a learned policy's (a directory per
 * component, a glob per file family), half network rules (a host, a /24 and a port each); the looked-up resources
 * match a rule in the middle of the list, so nothing is found by luck at the front.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xmx512m"})
public class DecisionBenchmark {
    @Param({"10", "1000", "10000"})
    int rules;

    PolicyEngine engine;
    String allowedPath;
    String deniedPath;
    String allowedHost;
    InetAddress allowedAddress;
    int allowedPort;

    @Setup
    public void compile() throws Exception {
        Policy.Builder p = Policy.builder("bench");
        int half = rules / 2;
        for (int i = 0; i < half; i++) {
            p.rule(Rule.builder("f" + i, Category.FILE).operations(Operation.READ, Operation.LIST)
                    .selector(Selector.PATHS, "/srv/component" + i + "/lib/*.jar", "/srv/component" + i + "/conf/**").build());
            p.rule(Rule.builder("n" + i, Category.NETWORK).operations(Operation.CONNECT)
                    .selector(Selector.HOSTS, "svc" + i + ".cluster.local")
                    .selector(Selector.CIDRS, "10." + (i / 256) + "." + (i % 256) + ".0/24")
                    .selector(Selector.PORTS, Integer.toString(1024 + i)).build());
        }
        engine = PolicyEngine.compile(p.build());
        int mid = half / 2;
        allowedPath = "/srv/component" + mid + "/lib/spring-core-6.1.2.jar";
        deniedPath = "/srv/component" + mid + "/secrets/key.pem";
        allowedHost = "svc" + mid + ".cluster.local";
        allowedAddress = InetAddress.getByName("10." + (mid / 256) + "." + (mid % 256) + ".17");
        allowedPort = 1024 + mid;
        check(engine.file(Operation.READ, allowedPath), true);
        check(engine.file(Operation.READ, deniedPath), false);
        check(engine.network(Operation.CONNECT, false, allowedHost, allowedAddress, allowedPort), true);
    }

    private static void check(Decision d, boolean allowed) {
        if (d.action().blocks() == allowed) throw new IllegalStateException("benchmark setup is wrong: " + d);
    }

    @Benchmark
    public Decision fileAllowed() {
        return engine.file(Operation.READ, allowedPath);
    }

    @Benchmark
    public Decision fileDenied() {
        return engine.file(Operation.READ, deniedPath);
    }

    @Benchmark
    public Decision connectAllowed() {
        return engine.network(Operation.CONNECT, false, allowedHost, allowedAddress, allowedPort);
    }
}
