package dev.inlay.runtime;

import dev.inlay.bootstrap.Inlay;
import dev.inlay.model.AgentSettings;
import dev.inlay.model.LayerLayout;
import dev.inlay.policy.Mode;
import dev.inlay.policy.PolicyException;
import dev.inlay.runtime.hooks.HookInstallation;
import dev.inlay.runtime.hooks.Hooks;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Starts the agent: configuration, policy, output, hooks, periodic work and the shutdown hook. */
public final class AgentInstaller {
    static final int EXIT_NO_POLICY = 78;
    /** The agent could not start in enforce mode (EX_SOFTWARE): the application does not run unchecked. */
    static final int EXIT_AGENT_FAILED = 70;

    private static final String DEFAULT_BASELINE = LayerLayout.BASELINE_PATH;
    /** How often the event thread compares the bridge's state with what the agent installed. */
    static final long BRIDGE_WATCH_MILLIS = 1000;

    private AgentInstaller() {}

    /**
     * What inlay wrap recorded for the policy it baked in, when that is the policy in use; a policy delivered another
     * way (INLAY_POLICY naming a mounted file, INLAY_POLICY_B64) is the operator's and is not pinned.
     */
    static PolicyState.Baked bakedPolicy(AgentConfig config) {
        AgentSettings recorded = config.recorded();
        String baked = recorded.policy();
        String inUse = config.get(AgentSettings.POLICY);
        String digest = recorded.policyDigest();
        if (baked == null || inUse == null || digest == null) return null;
        if (!Path.of(baked)
                .toAbsolutePath()
                .normalize()
                .equals(Path.of(inUse).toAbsolutePath().normalize())) return null;
        return new PolicyState.Baked(digest, recorded.compiledPolicy());
    }

    /**
     * Called by {@link AgentBoot} while the hooks thread defines the bridge and installs the hooks. Loads nothing that
     * needs the bridge before {@link HookInstallation#awaitBridge}.
     */
    static void install(
            String args,
            Instrumentation inst,
            File agentJar,
            long startedNanos,
            long startedMillis,
            Map<String, String> env,
            HookInstallation hooking,
            BootBridge bridge) {
        AgentConfig config = AgentConfig.load(args, agentJar, env);
        // No policy to read (learn mode): this thread is free first, and the hooks thread builds its table meanwhile.
        // The hooks thread retransforms nothing before the bridge is there: nothing else comes first.
        if (config.get(AgentSettings.POLICY) == null && config.policyBase64() == null) hooking.takeBridge();
        // The roots (${java.home}...) as this JVM starts: what the application sets later never moves them. The links
        // out of the JDK home come from the layer's jdk-links.bin when it covers this JDK, not from a walk of the home
        // at the first file operation (some 5-8 ms before main()).
        dev.inlay.policy.Roots roots = dev.inlay.policy.Roots.current(JdkLinkFile.load(agentJar));
        boolean failOpen = config.flag(AgentSettings.FAIL_OPEN);
        String version = version();
        String run = runId();

        PolicyState loaded;
        String policyProblem = null;
        try {
            loaded = PolicyState.load(
                    config.get(AgentSettings.MODE),
                    config.get(AgentSettings.POLICY),
                    config.policyBase64(),
                    bakedPolicy(config));
        } catch (PolicyState.Unusable e) {
            // In every mode, learn included: a configured policy that cannot be used is a configuration error
            // (EX_CONFIG) to fix, not to run past with the application unmonitored; failOpen runs on in learn mode.
            if (!failOpen) {
                System.err.println("inlay: " + e.getMessage());
                System.err.println("inlay: refusing to start without a usable policy (set failOpen=true or"
                        + " INLAY_FAIL_OPEN=true to run unprotected)");
                System.err.flush();
                Runtime.getRuntime().halt(EXIT_NO_POLICY);
            }
            System.err.println("inlay: " + e.getMessage() + "; running in learn mode (failOpen)");
            policyProblem = e.getMessage();
            loaded = PolicyState.learnOnly();
        }
        PolicyState policy = loaded;
        StartupPhase startup;
        try {
            startup = StartupPhase.of(config, startedNanos);
        } catch (IllegalArgumentException e) {
            // A switch that would release enforcement: a value that is neither is refused, never guessed at.
            System.err.println("inlay: " + e.getMessage());
            System.err.flush();
            Runtime.getRuntime().halt(EXIT_NO_POLICY);
            return;
        }
        // A candidate that cannot be used is said loudly, and never stops the application: it decides nothing, and
        // without its shadow-hits lines `inlay policy promote-check` has no evidence and refuses (docs/DEPLOY.md).
        ShadowPolicy shadow = null;
        String shadowProblem = null;
        try {
            // Only named, the class is loaded: without a candidate nothing of it runs before main().
            String candidate = config.get(ShadowPolicy.KEY);
            if (candidate != null) shadow = ShadowPolicy.load(candidate, config.recorded());
        } catch (PolicyException | RuntimeException | StackOverflowError e) {
            shadowProblem = "shadow policy cannot be used: " + e.getMessage();
            System.err.println("inlay: " + shadowProblem + "; running without it");
        }

        Workload workload = Workload.detect(env, config.recorded());
        Sink sink;
        try {
            sink = Sink.of(
                    config.get(AgentSettings.SINK, "stdout"),
                    Math.max(1, config.number(AgentSettings.SINK_TIMEOUT, Sink.WRITE_TIMEOUT_MILLIS)));
        } catch (IOException e) {
            System.err.println("inlay: " + e.getMessage() + "; writing to stdout");
            try {
                sink = Sink.of("stdout");
            } catch (IOException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        EventStream stream = new EventStream(sink, config.number(AgentSettings.EVENT_WINDOW, 1000), 8192);
        Reporter reporter = new Reporter(stream, version, run, workload);
        PolicyState.Active active = policy.active();
        reporter.policy(active.policyName(), active.identity());
        BehaviorRecorder recorder = new BehaviorRecorder(
                (int) config.number(AgentSettings.MAX_BEHAVIORS, 50_000),
                (int) config.number(AgentSettings.MAX_PER_DIRECTORY, 1000),
                version,
                run,
                startedMillis,
                workload);

        Baseline baseline = null;
        String baselinePath = config.get(AgentSettings.BASELINE);
        if (baselinePath == null && new File(DEFAULT_BASELINE).isFile()) baselinePath = DEFAULT_BASELINE;
        if (baselinePath != null) {
            try {
                baseline = Baseline.load(Path.of(baselinePath));
            } catch (IOException e) {
                reporter.status("baseline-unreadable", Map.of("path", baselinePath, "error", e.toString()));
            }
        }

        Object agentKey = hooking.awaitBridge();
        Checker checker = new Checker(
                policy,
                recorder,
                reporter,
                baseline,
                failOpen,
                Checker.absolute(agentJar.getAbsolutePath()),
                !"false".equalsIgnoreCase(config.get(AgentSettings.JVM_BASELINE)),
                shadow,
                startup,
                componentMap(config));
        hooking.shareWork();
        Hooks hooks = hooking.await();
        Inlay.ownInstrumentation(agentKey, inst);
        checker.install();

        long profileMillis = Math.max(1, config.number(AgentSettings.PROFILE_INTERVAL, 30)) * 1000;
        ProfileFile profileFile = new ProfileFile(config.get(AgentSettings.PROFILE_DIR), run);
        // The periodic work and the shutdown hook are named classes, not lambdas: each lambda spins a class at
        // first use, and this runs before the application's main().
        stream.schedule(new ProfileSnapshot(policy, recorder, profileFile), profileMillis);
        stream.schedule(new RuleHits(policy, reporter), profileMillis);
        stream.schedule(
                new LoadedCodeReport(inst, version, run, Checker.absolute(agentJar.getAbsolutePath())), profileMillis);
        if (shadow != null) stream.schedule(new ShadowHits(policy, shadow, reporter), profileMillis);
        if (policy.file() != null) {
            stream.schedule(
                    new PolicyReload(policy, reporter), Math.max(100, config.number(AgentSettings.POLICY_POLL, 5000)));
        }
        hooks.onForeignTransformation(new ForeignTransformation(checker, policy));
        stream.schedule(new BridgeWatch(agentKey, checker, inst, policy), BRIDGE_WATCH_MILLIS);
        stream.schedule(
                new LossCounters(checker, stream, recorder, reporter),
                Math.max(1, config.number(AgentSettings.STATUS_INTERVAL, 30)) * 1000);
        stream.onDrops(new DropStatus(reporter));
        stream.start(agentKey);
        Runtime.getRuntime()
                .addShutdownHook(new ShutdownReport(
                        checker,
                        stream,
                        recorder,
                        reporter,
                        hooks,
                        agentKey,
                        Math.max(
                                1,
                                config.number(AgentSettings.SHUTDOWN_TIMEOUT, EventStream.SHUTDOWN_TIMEOUT_MILLIS))));

        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("mode", policy.active().mode().wireName());
        if (active.policyName() != null) fields.put("policy", active.policyName());
        // Only a digest known without hashing: SHA-256 before main() costs tens of milliseconds (PolicyIdentity).
        if (active.identity() != null && active.identity().knownDigest() != null) {
            fields.put("policyDigest", active.identity().knownDigest());
        }
        if (policyProblem != null) fields.put("problem", policyProblem);
        if (shadow != null) {
            fields.put("shadowPolicy", shadow.identity().name());
            if (shadow.identity().knownDigest() != null)
                fields.put("shadowPolicyDigest", shadow.identity().knownDigest());
        }
        if (shadowProblem != null) fields.put("shadowProblem", shadowProblem);
        if (startup.monitor()) fields.put("startup", "monitor");
        fields.put("java", System.getProperty("java.version"));
        fields.put("hookedTypes", hooks.types());
        fields.put("transformed", hooks.transformed());
        fields.put("precomputed", hooks.precomputed());
        fields.put("jdkLinks", roots.jdkLinksKnown() ? "precomputed" : "walk");
        fields.put("bridge", bridge.origin());
        fields.put("startupMillis", (System.nanoTime() - startedNanos) / 1_000_000);
        if (baseline != null) fields.put("baseline", baselinePath); // parsed at the first process start
        if (!hooks.errors().isEmpty()) fields.put("hookErrors", String.join("; ", hooks.errors()));
        reporter.status("started", fields);
    }

    /**
     * The image's component map: as configured, else the layer's when there is one (an existence check, no read:
     * the map is read at the first attribution).
     */
    private static String componentMap(AgentConfig config) {
        String path = config.get(AgentSettings.COMPONENTS);
        if (path != null) return path;
        return new File(LayerLayout.COMPONENTS_PATH).isFile() ? LayerLayout.COMPONENTS_PATH : null;
    }

    /**
     * A random (version 4) UUID naming this run. Read from /dev/urandom rather than through {@code UUID.randomUUID}:
     * its SecureRandom initializes the security providers, some 40 ms of every JVM start.
     */
    static String runId() {
        byte[] random = new byte[16];
        try (InputStream in = new FileInputStream("/dev/urandom")) {
            if (in.readNBytes(random, 0, 16) != 16) throw new IOException("short read");
        } catch (IOException e) {
            java.util.concurrent.ThreadLocalRandom.current().nextBytes(random);
        }
        random[6] = (byte) ((random[6] & 0x0f) | 0x40);
        random[8] = (byte) ((random[8] & 0x3f) | 0x80);
        // Formatted here: UUID.toString sets up VarHandles on JDK 21 and later (~1 ms before main()).
        StringBuilder id = new StringBuilder(36);
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) id.append('-');
            id.append(HEX[(random[i] >> 4) & 0xf]).append(HEX[random[i] & 0xf]);
        }
        return id.toString();
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    static String version() {
        try (InputStream in = AgentInstaller.class.getResourceAsStream("agent.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Learn mode: the behaviors recorded since the last snapshot, on the event stream and in the profile file. */
    private record ProfileSnapshot(PolicyState policy, BehaviorRecorder recorder, ProfileFile file)
            implements EventStream.Task {
        @Override
        public List<String> run(boolean atShutdown) {
            // Monitor and enforce record only start-up denials (docs/EVENTS.md): profile lines once there are any.
            if (policy.active().mode() != Mode.LEARN && recorder.distinct() == 0) return List.of();
            List<String> documents = recorder.snapshot(atShutdown);
            file.append(documents);
            return documents;
        }
    }

    /** Monitor and enforce: how often each rule decided. */
    private record RuleHits(PolicyState policy, Reporter reporter) implements EventStream.Task {
        @Override
        public List<String> run(boolean atShutdown) {
            return policy.active().mode() == Mode.LEARN ? List.of() : reporter.hitsLines(atShutdown);
        }
    }

    /** The candidate policy's rule hits, while operations are decided (it is evaluated only then). */
    private record ShadowHits(PolicyState policy, ShadowPolicy shadow, Reporter reporter) implements EventStream.Task {
        @Override
        public List<String> run(boolean atShutdown) {
            return policy.active().mode() == Mode.LEARN ? List.of() : reporter.shadowHitsLines(shadow, atShutdown);
        }
    }

    /** A policy read from a file is reloaded when the file changes; a broken one is refused. */
    private record PolicyReload(PolicyState policy, Reporter reporter) implements EventStream.Task {
        @Override
        public List<String> run(boolean atShutdown) {
            if (atShutdown) return List.of();
            try {
                String name = policy.poll();
                if (name == null) return List.of();
                PolicyState.Active reloaded = policy.active();
                reporter.policy(name, reloaded.identity());
                return List.of(reporter.statusLine(
                        "policy-reloaded",
                        Map.of(
                                "policy",
                                name,
                                "policyDigest",
                                reloaded.identity().digest(),
                                "mode",
                                reloaded.mode().wireName())));
            } catch (PolicyException | RuntimeException | StackOverflowError e) {
                return List.of(reporter.statusLine(
                        "policy-reload-failed",
                        Map.of("error", e.getMessage() == null ? e.toString() : e.getMessage())));
            }
        }
    }

    /**
     * Compares the bridge's state with what the agent installed: the bridge itself catches one copy changed (at the
     * next hooked call), this catches every copy changed together. It puts the state back and reports a tamper event;
     * in enforce mode it then halts, since operations may have gone unchecked meanwhile.
     */
    private record BridgeWatch(Object agentKey, Checker checker, Instrumentation inst, PolicyState policy)
            implements EventStream.Task {
        @Override
        public List<String> run(boolean atShutdown) {
            String found = Inlay.verify(agentKey, checker, inst);
            if (found == null) return List.of();
            boolean enforce = policy.active().mode() == Mode.ENFORCE;
            checker.tamper("bridge", "the bridge's state was changed: " + found, enforce);
            if (enforce) Runtime.getRuntime().halt(Checker.KILL_EXIT_CODE);
            return List.of();
        }
    }

    /**
     * A hooked class retransformed or redefined through another Java agent's Instrumentation (one the policy allowed
     * the {@code instrument} capability): that agent's transformers run after inlay's (the JVM runs agents in the order
     * they were loaded) and decide the bytes, possibly the JDK's own without the hook, and inlay cannot run after them
     * to hook the class again. Enforce: a tamper event written at once, then the JVM halts (exit 137) before the class
     * runs; learn and monitor: the event only ({@code blocked: false}).
     */
    static final class ForeignTransformation implements java.util.function.Consumer<String> {
        private final Checker checker;
        private final PolicyState policy;

        ForeignTransformation(Checker checker, PolicyState policy) {
            this.checker = checker;
            this.policy = policy;
        }

        @Override
        public void accept(String className) {
            // Another Java agent's call. Retransformations the JVM starts itself (Flight Recorder's, a debugger's) run
            // inlay's transformer like any, and keep the hooks (AgentLifecycleIT) unless an allowed agent's
            // transformer changes them: a limit docs/SECURITY.md states.
            if (!fromAnotherAgent()) return;
            boolean enforce = policy.active().mode() == Mode.ENFORCE;
            checker.tamper(
                    "retransform",
                    className + " was retransformed or redefined by another agent" + (enforce ? ": halting" : ""),
                    enforce);
            if (enforce) Runtime.getRuntime().halt(Checker.KILL_EXIT_CODE);
        }

        private static boolean fromAnotherAgent() {
            for (StackTraceElement frame : new Throwable().getStackTrace()) {
                if (frame.getClassName().equals("sun.instrument.InstrumentationImpl")
                        && (frame.getMethodName().equals("retransformClasses")
                                || frame.getMethodName().equals("redefineClasses"))) {
                    return true;
                }
            }
            return false;
        }
    }

    private record DropStatus(Reporter reporter) implements java.util.function.Function<Long, String> {
        @Override
        public String apply(Long total) {
            return reporter.statusLine("dropped", Map.of("dropped", total));
        }
    }

    /**
     * What was lost so far, as a {@code counters} status line each {@code statusInterval} in which a count changed:
     * lines dropped or lost by the sink, behaviors not recorded, hook failures. Cumulative, so the last one written
     * before a {@code kill -9} still tells.
     */
    private static final class LossCounters implements EventStream.Task {
        private final Checker checker;
        private final EventStream stream;
        private final BehaviorRecorder recorder;
        private final Reporter reporter;
        private long reported;

        LossCounters(Checker checker, EventStream stream, BehaviorRecorder recorder, Reporter reporter) {
            this.checker = checker;
            this.stream = stream;
            this.recorder = recorder;
            this.reporter = reporter;
        }

        @Override
        public List<String> run(boolean atShutdown) {
            long dropped = stream.dropped();
            long sinkLost = stream.sinkLost();
            long overflow = recorder.overflow();
            long failures = checker.failures();
            long summarized = recorder.summarized();
            // a change in any count changes this sum: every count only grows
            long sum = dropped + sinkLost + overflow + failures + summarized;
            if (atShutdown || sum == reported) return List.of(); // the stopped status has them at exit
            reported = sum;
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("dropped", dropped);
            fields.put("sinkLost", sinkLost);
            fields.put("sinkFailures", stream.sinkFailures());
            fields.put("behaviors", recorder.distinct());
            fields.put("overflow", overflow);
            fields.put("summarized", summarized);
            fields.put("failures", failures);
            return List.of(reporter.statusLine("counters", fields));
        }
    }

    /** At exit: the final snapshot and a stopped status with the counters, written before the JVM goes. */
    private static final class ShutdownReport extends Thread {
        private final Checker checker;
        private final EventStream stream;
        private final BehaviorRecorder recorder;
        private final Reporter reporter;
        private final Hooks hooks;
        private final Object agentKey;
        private final long timeoutMillis;

        ShutdownReport(
                Checker checker,
                EventStream stream,
                BehaviorRecorder recorder,
                Reporter reporter,
                Hooks hooks,
                Object agentKey,
                long timeoutMillis) {
            super("inlay-shutdown");
            this.checker = checker;
            this.stream = stream;
            this.recorder = recorder;
            this.reporter = reporter;
            this.hooks = hooks;
            this.agentKey = agentKey;
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public void run() {
            Inlay.ownThread(agentKey);
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("failures", checker.failures());
            fields.put("dropped", stream.dropped());
            fields.put("sinkLost", stream.sinkLost());
            fields.put("behaviors", recorder.distinct());
            fields.put("overflow", recorder.overflow());
            fields.put("summarized", recorder.summarized());
            // Classes hooked over the whole run (funnels load as they are first used), and how many of them with
            // bytes computed at wrap time.
            fields.put("transformed", hooks.transformed());
            fields.put("precomputed", hooks.precomputed());
            stream.close(List.of(reporter.statusLine("stopped", fields)), timeoutMillis);
        }
    }

    /** Learn-mode profile documents appended to {@code <profileDir>/inlay-profile-<run>.jsonl}. */
    static final class ProfileFile {
        private final File file;

        ProfileFile(String directory, String run) {
            this.file = directory == null || directory.isBlank()
                    ? null
                    : new File(directory, "inlay-profile-" + run + ".jsonl");
        }

        void append(List<String> documents) {
            if (file == null || documents.isEmpty()) return;
            List<String> lines = new ArrayList<>(documents);
            try {
                file.getParentFile().mkdirs();
                try (OutputStream out = new FileOutputStream(file, true)) {
                    out.write(Sink.bytes(lines));
                }
            } catch (IOException e) {
                System.err.println("inlay: cannot write profile " + file + ": " + e.getMessage());
            }
        }
    }
}
