package dev.inlay.runtime.hooks;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The class file transformer: in the hooked JDK classes (boot loader only), puts each hook's bridge call at the
 * entry of its method, with the bytes computed at wrap time where they fit and else with ASM ({@link Injection}, a
 * class of its own so that the JVM loads no ASM class while there is no need to).
 */
final class EntryCalls implements ClassFileTransformer {
    private final Map<String, List<Hook>> byType;
    private volatile HookedClasses ready;
    private final AtomicInteger readyUsed;
    private final BiConsumer<String, String> outcome;
    /** Told the name of every hooked class retransformed or redefined by someone else, once the agent has started. */
    private volatile java.util.function.Consumer<String> foreign;

    /**
     * @param ready     classes hooked at wrap time, used where they are certain to be what ASM would make now
     * @param readyUsed counts the classes hooked with them
     * @param outcome   told (type, null) for every class hooked, (type, problem) for every class or hook that failed
     */
    EntryCalls(
            Map<String, List<Hook>> byType,
            HookedClasses ready,
            AtomicInteger readyUsed,
            BiConsumer<String, String> outcome) {
        this.byType = byType;
        this.ready = ready;
        this.readyUsed = readyUsed;
        this.outcome = outcome;
    }

    /**
     * The agent's own retransformation of the classes loaded before it is done: a class redefined or retransformed
     * later (another agent, a debugger) comes with bytes that are not the image's, so ASM hooks what it is given.
     */
    void startupRetransformed() {
        ready = ready.withSoleAgent(false);
    }

    /**
     * From now on, a hooked class retransformed or redefined (not by the agent) is reported: whatever a transformer
     * after this one returns is what the JVM keeps, possibly the JDK's bytes without the hook.
     */
    void onForeign(java.util.function.Consumer<String> listener) {
        foreign = listener;
    }

    @Override
    public byte[] transform(
            ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
        if (loader != null || className == null) return null;
        List<Hook> hooks = byType.get(className);
        if (hooks == null) return null;
        java.util.function.Consumer<String> listener = foreign;
        if (redefined != null && listener != null) {
            listener.accept(className.replace('/', '.'));
        }
        try {
            String name = className.replace('/', '.');
            byte[] precomputed = ready.hooked(className, redefined == null ? bytes : null);
            if (precomputed != null) {
                readyUsed.incrementAndGet();
                outcome.accept(name, null);
                return precomputed;
            }
            List<String> problems = new ArrayList<>();
            byte[] result = Injection.inject(bytes, hooks, problems);
            for (String problem : problems) outcome.accept(name, problem);
            if (result != null) outcome.accept(name, null);
            return result;
        } catch (Throwable t) {
            // A transformer's exception is swallowed by the JVM: report it, leave the class as it was.
            outcome.accept(className.replace('/', '.'), t.toString());
            return null;
        }
    }
}
