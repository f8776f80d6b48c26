package dev.inlay.runtime;

import dev.inlay.bootstrap.Inlay;
import dev.inlay.runtime.hooks.Hooks;

import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.jar.JarFile;

/**
 * The implementation's entry point, called by premain. Startup runs on two threads, both before the application's
 * main(): the hooks thread builds its table and loads ASM while this one defines the bridge, then retransforms the
 * loaded JDK funnels while this one reads the configuration and the policy ({@link AgentInstaller}); the checks go
 * live when both are done.
 *
 * <p>A class of its own because it runs before the bridge exists: {@link AgentInstaller} passes a {@code Checker} as
 * the bridge's {@code Checks}, and verifying that loads {@code Checks}.
 */
public final class AgentBoot {
    private AgentBoot() {
    }

    /**
     * Called by premain, with premain's arguments; the agent jar and premain's start time come from this class's
     * loader (the premain side's {@code ImplLoader}, through JDK interfaces).
     */
    @SuppressWarnings("unchecked")
    public static void start(String args, Instrumentation inst) throws IOException {
        ClassLoader loader = AgentBoot.class.getClassLoader();
        JarFile agentJarFile = ((Supplier<JarFile>) loader).get();
        long startedNanos = ((LongSupplier) loader).getAsLong();
        File agentJar = new File(agentJarFile.getName());
        long startedMillis = System.currentTimeMillis();
        Map<String, String> env = System.getenv();
        Hooks.Installation hooking = Hooks.installInBackground(inst, "true".equals(env.get("INLAY_DEBUG")));
        boolean defined = false;
        try {
            BootBridge.define(inst, agentJarFile);
            // The agent's class loader is named before any hook exists (the tamper guard trusts it from then on).
            Inlay.claim(loader);
            defined = true;
        } finally {
            hooking.proceed(defined);
        }
        AgentInstaller.install(args, inst, agentJar, startedNanos, startedMillis, env, hooking);
    }
}
