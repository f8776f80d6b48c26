package dev.inlay.instrumenter.admission;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What the webhook demands of every image (docs/DEPLOY.md, "Admission: refusing unapproved images").
 *
 * @param checks which checks apply
 * @param requiredMode the least mode the {@code mode} check accepts ({@code learn} &lt; {@code monitor} &lt; {@code enforce})
 * @param allowedRegistries when not empty, images from any other registry are refused ({@code host[:port]})
 * @param exemptNamespaces requests in these namespaces are allowed without a check
 * @param allowOnRegistryError a registry that cannot be read allows (with a warning) instead of denying
 * @param registryTimeout how long one review waits for the registry in all
 */
public record AdmissionRules(
        Set<Check> checks,
        String requiredMode,
        Set<String> allowedRegistries,
        Set<String> exemptNamespaces,
        boolean allowOnRegistryError,
        Duration registryTimeout) {
    public AdmissionRules {
        checks = checks.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(checks));
        allowedRegistries = Set.copyOf(allowedRegistries);
        exemptNamespaces = Set.copyOf(exemptNamespaces);
        if (modeRank(requiredMode) < 0) throw new IllegalArgumentException("not a mode: " + requiredMode);
    }

    public enum Check {
        /** The image is pinned by digest ({@code @sha256:}). */
        DIGEST,
        /** The image config has {@code dev.inlay.wrapped=true}, and the pod does not replace JAVA_TOOL_OPTIONS. */
        WRAPPED,
        /** The mode the container runs in (its INLAY_MODE, else the image's dev.inlay.mode) is at least the required one. */
        MODE,
        /** A scan verdict exists for the image's digest and passed. */
        SCAN;

        public String option() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Check parse(String text) {
            for (Check c : values()) if (c.option().equals(text)) return c;
            throw new IllegalArgumentException("not a check: '" + text + "' (digest, wrapped, mode, scan)");
        }
    }

    public boolean applies(Check check) {
        return checks.contains(check);
    }

    /** learn 0, monitor 1, enforce 2; anything else -1. */
    public static int modeRank(String mode) {
        if (mode == null) return -1;
        return switch (mode) {
            case "learn" -> 0;
            case "monitor" -> 1;
            case "enforce" -> 2;
            default -> -1;
        };
    }
}
