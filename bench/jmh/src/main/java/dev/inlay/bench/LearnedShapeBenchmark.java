package dev.inlay.bench;

import dev.inlay.policy.Category;
import dev.inlay.policy.Operation;
import dev.inlay.policy.Rule;
import dev.inlay.policy.Selector;
import dev.inlay.policy.engine.Decision;
import dev.inlay.policy.engine.PolicyEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

/**
 * The decision benchmarks' policy: for component i of rules / 2, a file rule shaped like a learned policy's (a
 * directory per component, a glob per file family) and a network rule (a host, a /24 and a port); the resources looked
 * up are those of the component in the middle, so nothing is found by luck at the front. A benchmark extends this
 * class, compiles {@link #engine} from these rules in its {@code @Setup}, and inherits the allowed file and connect
 * decisions measured on it (JMH runs inherited benchmark methods as the subclass's own, and its annotations below are
 * inherited: the subclasses run with the same modes, iterations and forks).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xmx512m"})
public abstract class LearnedShapeBenchmark {
    /** The policy as it is: no rule scoped to a component. */
    PolicyEngine engine;

    String allowedPath;
    String deniedPath;
    String allowedHost;
    InetAddress allowedAddress;
    int allowedPort;

    /** The file rule of component {@code i}. */
    static Rule fileRule(int i) {
        return Rule.builder("f" + i, Category.FILE).operations(Operation.READ, Operation.LIST)
                .selector(Selector.PATHS, "/srv/component" + i + "/lib/*.jar", "/srv/component" + i + "/conf/**")
                .build();
    }

    /** The network rule of component {@code i}. */
    static Rule networkRule(int i) {
        return Rule.builder("n" + i, Category.NETWORK).operations(Operation.CONNECT)
                .selector(Selector.HOSTS, "svc" + i + ".cluster.local")
                .selector(Selector.CIDRS, "10." + (i / 256) + "." + (i % 256) + ".0/24")
                .selector(Selector.PORTS, Integer.toString(1024 + i)).build();
    }

    /** Sets the resources of the middle component of a policy of {@code rules} rules; returns that component's i. */
    int lookUpTheMiddleOf(int rules) throws Exception {
        int mid = rules / 2 / 2;
        allowedPath = "/srv/component" + mid + "/lib/spring-core-6.1.2.jar";
        deniedPath = "/srv/component" + mid + "/secrets/key.pem";
        allowedHost = "svc" + mid + ".cluster.local";
        allowedAddress = InetAddress.getByName("10." + (mid / 256) + "." + (mid % 256) + ".17");
        allowedPort = 1024 + mid;
        return mid;
    }

    /** Fails the set-up unless {@link #engine} allows what the inherited benchmarks decide. */
    void checkTheAllowedDecisions() {
        check(fileAllowed(), true);
        check(connectAllowed(), true);
    }

    static void check(Decision d, boolean allowed) {
        if (d.action().blocks() == allowed) throw new IllegalStateException("benchmark setup is wrong: " + d);
    }

    @Benchmark
    public Decision fileAllowed() {
        return engine.file(Operation.READ, allowedPath);
    }

    @Benchmark
    public Decision connectAllowed() {
        return engine.network(Operation.CONNECT, false, allowedHost, allowedAddress, allowedPort);
    }
}
