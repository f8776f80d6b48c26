package dev.inlay.bench.agent;

import org.openjdk.jmh.annotations.Fork;

/**
 * The operations under the inlay agent. The mode and policy come from the environment the fork inherits
 * (INLAY_MODE, INLAY_POLICY: run.sh sets enforce and a policy allowing every measured operation), so that the same
 * jar measures any mode.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m", "-javaagent:target/inlay/inlay-agent.jar"})
public class WithAgent extends HookedOperations {
}
