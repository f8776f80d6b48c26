package dev.inlay.runtime.hooks;

import dev.inlay.agent.JvmOptions;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The hooks thread and what it did: builds the {@link Hooks} table, reads the classes hooked at wrap time, makes the
 * bridge ready (claims it on the boot class path, or defines it: milliseconds for whichever thread is free) unless
 * premain's thread has taken that on ({@link #takeBridge}, {@link #awaitBridge}), loads ASM if it is needed and
 * installs the hooks: hooked code must not run before the bridge it calls is there. Premain's thread lends a hand
 * with {@link #shareWork} and {@link #await}s the hooks before the checks go live.
 *
 * <p>Latches and a monitor, not {@code AtomicBoolean} or lambdas: it runs before the application's main(), where a
 * VarHandle or a lambda class costs milliseconds.
 */
public final class HookInstallation implements Runnable {
    private final Instrumentation inst;
    private final File agentJar;
    private final boolean debug;
    private final Callable<Object> bridge;
    /**
     * Who makes the bridge ready and who retransforms the shared half: first come ({@link #takeBridgeWork}; not
     * AtomicBoolean, whose VarHandle costs milliseconds before main()).
     */
    private boolean bridgeTaken;

    private final CountDownLatch bridgeDecided = new CountDownLatch(1);
    private volatile Object agentKey;
    private volatile Throwable bridgeFailure;
    private final Thread thread;
    private final CountDownLatch done = new CountDownLatch(1);
    /** Opens when the shared half of the loaded funnels is listed (or there is none). */
    private final CountDownLatch shareListed = new CountDownLatch(1);

    private boolean shareTaken;
    private volatile List<Class<?>> share = List.of();
    private Hooks hooks;
    private Throwable failure;

    private HookInstallation(Instrumentation inst, File agentJar, boolean debug, Callable<Object> bridge) {
        this.inst = inst;
        this.agentJar = agentJar;
        this.debug = debug;
        this.bridge = bridge;
        this.thread = new Thread(this, "inlay-hooks");
        thread.setDaemon(true);
    }

    /**
     * Starts the hooks thread.
     *
     * @param bridge defines the bridge and claims it for the agent, returning the key {@code Inlay.claim} gives
     */
    public static HookInstallation start(Instrumentation inst, File agentJar, boolean debug, Callable<Object> bridge) {
        HookInstallation installation = new HookInstallation(inst, agentJar, debug, bridge);
        installation.thread.start();
        return installation;
    }

    @Override
    public void run() {
        try {
            Hooks table = new Hooks();
            hooks = table;
            HookedClasses ready = HookedClasses.load(agentJar, table);
            if (takeBridgeWork()) defineBridge();
            awaitUninterruptibly(bridgeDecided);
            if (agentKey == null) return; // premain's thread reports why
            if (!ready.coversStartup()) {
                try {
                    Injection.warmUp();
                } catch (Exception | LinkageError e) {
                    // Only a head start: the installation below meets and reports any real problem with ASM.
                }
            }
            boolean sole = ready.coversStartup() && HookedClasses.soleAgent(JvmOptions.current());
            // Half of the loaded funnels go to whichever thread is free first: this one, or the caller of
            // shareWork (premain's thread, idle once the configuration is read in learn mode).
            List<Class<?>> loaded = table.register(inst, ready.withSoleAgent(sole), debug);
            List<Class<?>> mine = new ArrayList<>();
            List<Class<?>> shared = new ArrayList<>();
            for (int i = 0; i < loaded.size(); i++) (i % 2 == 0 ? mine : shared).add(loaded.get(i));
            share = shared;
            shareListed.countDown();
            table.retransform(inst, mine);
            if (takeSharedHalf()) table.retransform(inst, shared);
        } catch (Throwable t) {
            failure = t;
        } finally {
            shareListed.countDown();
            done.countDown();
        }
    }

    /** Takes on making the bridge ready, if no thread has yet. */
    private synchronized boolean takeBridgeWork() {
        boolean free = !bridgeTaken;
        bridgeTaken = true;
        return free;
    }

    /** Takes on the shared half of the retransformation, if no thread has yet. */
    private synchronized boolean takeSharedHalf() {
        boolean free = !shareTaken;
        shareTaken = true;
        return free;
    }

    private void defineBridge() {
        try {
            agentKey = bridge.call();
        } catch (Throwable t) {
            bridgeFailure = t;
        } finally {
            bridgeDecided.countDown();
        }
    }

    /**
     * Defines the bridge now unless the hooks thread has taken that on already: for premain's thread when it has
     * no policy to read, and so little else to do, while the hooks thread builds its table.
     */
    public void takeBridge() {
        if (takeBridgeWork()) defineBridge();
    }

    /**
     * Defines the bridge unless a thread has taken that on already (the hooks thread, when premain's is still busy
     * with the policy), and waits until it is defined.
     *
     * @return the key {@code Inlay.claim} gave the agent
     * @throws IllegalStateException with the cause, when the bridge could not be defined
     */
    public Object awaitBridge() {
        takeBridge();
        awaitUninterruptibly(bridgeDecided);
        Object key = agentKey;
        if (key != null) return key;
        throw new IllegalStateException("the bridge could not be defined: " + bridgeFailure, bridgeFailure);
    }

    /**
     * Called by premain's thread when its own work is done: retransforms the shared half of the loaded funnels
     * unless the hooks thread has taken it already. Waits for the list, not for the hooks thread's half.
     */
    public void shareWork() {
        awaitUninterruptibly(shareListed);
        if (hooks != null && takeSharedHalf()) {
            try {
                hooks.retransform(inst, share);
            } catch (Throwable t) {
                hooks.addError("retransform: " + t);
            }
        }
    }

    /**
     * Waits for the hooks, interrupted or not: the application must not run before they are in place.
     *
     * @return the hooks, their counts and errors (an installation that failed as a whole is one of them)
     */
    public Hooks await() {
        awaitUninterruptibly(done);
        Hooks result = hooks != null ? hooks : new Hooks();
        EntryCalls injector = result.injector();
        // Both halves are retransformed: from now on a class being redefined or retransformed is someone else's
        // doing (another agent, a debugger), whose bytes precomputed ones must not replace.
        if (injector != null) injector.startupRetransformed();
        if (failure != null) result.addError("install: " + failure);
        return result;
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
