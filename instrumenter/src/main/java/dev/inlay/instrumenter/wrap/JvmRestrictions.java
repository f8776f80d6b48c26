package dev.inlay.instrumenter.wrap;

import dev.inlay.policy.Category;
import dev.inlay.policy.Mode;
import dev.inlay.policy.Operation;
import dev.inlay.policy.Policy;
import dev.inlay.policy.Rule;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM's own restrictions (JDK 24 and later) that {@code inlay wrap} adds to JAVA_TOOL_OPTIONS when an enforced
 * policy shows the capability is never needed: the JVM then refuses it itself, which no write from inside the JVM
 * undoes (docs/SECURITY.md, "Tamper resistance").
 */
public final class JvmRestrictions {
    /** The first release with {@code --sun-misc-unsafe-memory-access=deny} in the default launcher's options. */
    static final int MIN_FEATURE_VERSION = 24;
    /** sun.misc.Unsafe's memory access methods throw UnsupportedOperationException. */
    public static final String DENY_UNSAFE = "--sun-misc-unsafe-memory-access=deny";
    /** No attach listener: neither this JVM nor another process can attach (jcmd and jstack included). */
    public static final String DISABLE_ATTACH = "-XX:+DisableAttachMechanism";

    private JvmRestrictions() {}

    /**
     * The flags for an image: none unless the mode is enforce, there is a policy, and every JVM in the image is
     * Java 24 or later (an older JVM refuses the unknown option and does not start; an unknown version counts as
     * older). {@link #DENY_UNSAFE} when the policy can never allow {@code unsafe}, {@link #DISABLE_ATTACH} when it
     * can never allow {@code attach}.
     */
    public static List<String> flags(Mode mode, Policy policy, List<String> jvmVersions) {
        if (mode != Mode.ENFORCE || policy == null || jvmVersions.isEmpty()) return List.of();
        for (String version : jvmVersions) {
            if (StartupArchive.featureVersion(version) < MIN_FEATURE_VERSION) return List.of();
        }
        List<String> flags = new ArrayList<>();
        if (!mayAllow(policy, Operation.UNSAFE)) flags.add(DENY_UNSAFE);
        if (!mayAllow(policy, Operation.ATTACH)) flags.add(DISABLE_ATTACH);
        return flags;
    }

    /** Whether some decision of the policy lets the operation go ahead: a default or a rule that does not block. */
    static boolean mayAllow(Policy policy, Operation operation) {
        if (!policy.defaultAction(Category.CAPABILITY).blocks()) return true;
        for (Rule rule : policy.rules(Category.CAPABILITY)) {
            if (rule.operations().contains(operation) && !rule.action().blocks()) return true;
        }
        return false;
    }
}
