package dev.inlay.runtime;

import dev.inlay.bootstrap.Inlay;
import dev.inlay.model.AgentSettings;
import dev.inlay.runtime.hooks.HookInstallation;

import java.io.File;
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
    private AgentBoot() {}

    /**
     * Called by premain, with premain's arguments; the agent jar and premain's start time come from this class's
     * loader (the premain side's {@code ImplLoader}, through JDK interfaces).
     */
    @SuppressWarnings("unchecked")
    public static void start(String args, Instrumentation inst) {
        ClassLoader loader = AgentBoot.class.getClassLoader();
        JarFile agentJarFile = ((Supplier<JarFile>) loader).get();
        long startedNanos = ((LongSupplier) loader).getAsLong();
        File agentJar = new File(agentJarFile.getName());
        long startedMillis = System.currentTimeMillis();
        Map<String, String> env = System.getenv();
        if (bridgeClaimed()) {
            // A second -javaagent with this jar (a base image and a deployment both adding it): the first protects.
            System.err.println(
                    "inlay: the agent is already running in this JVM; this copy (" + agentJar + ") does nothing");
            return;
        }
        try {
            BootBridge bridge = new BootBridge(inst, agentJarFile, loader);
            HookInstallation hooking =
                    HookInstallation.start(inst, agentJar, "true".equals(env.get(AgentSettings.ENV_DEBUG)), bridge);
            AgentInstaller.install(args, inst, agentJar, startedNanos, startedMillis, env, hooking, bridge);
        } catch (Throwable t) {
            failed(args, agentJar, env, t);
        } finally {
            ((Runnable) loader).run(); // startup is over: the loader drops the class pack it read whole
        }
    }

    /** Whether an agent has claimed the bridge in this JVM (which may hold it from the boot class path, unclaimed). */
    private static boolean bridgeClaimed() {
        return BootBridge.inBootLoader("dev.inlay.bootstrap.Inlay") && Inlay.claimed();
    }

    /**
     * The agent could not start (a damaged jar, a JDK it cannot hook): an application that was to be enforced does
     * not run unchecked, unless failOpen says so; in learn and monitor mode it runs on without the agent. A
     * configuration that cannot be read counts as enforce.
     */
    private static void failed(String args, File agentJar, Map<String, String> env, Throwable problem) {
        boolean enforcing = true;
        boolean failOpen = false;
        try {
            AgentConfig config = AgentConfig.load(args, agentJar, env);
            String mode = config.get(AgentSettings.MODE);
            boolean hasPolicy = config.get(AgentSettings.POLICY) != null || config.policyBase64() != null;
            // Without a mode the policy's decides, and the policy is not read here: it may say enforce.
            enforcing = "enforce".equals(mode) || (mode == null && hasPolicy);
            failOpen = config.flag(AgentSettings.FAIL_OPEN);
        } catch (Throwable unreadable) {
            problem.addSuppressed(unreadable);
        }
        if (enforcing && !failOpen) {
            System.err.println("inlay: the agent failed to start: " + problem);
            System.err.println("inlay: refusing to run the application unchecked in enforce mode (set failOpen=true or"
                    + " INLAY_FAIL_OPEN=true to run it unprotected)");
            System.err.flush();
            Runtime.getRuntime().halt(AgentInstaller.EXIT_AGENT_FAILED);
        }
        System.err.println("inlay: agent not started: " + problem);
    }
}
