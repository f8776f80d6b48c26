package dev.inlay.bench.agent;

import org.openjdk.jmh.annotations.Fork;

/** The operations in a plain JVM. */
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class WithoutAgent extends HookedOperations {
}
