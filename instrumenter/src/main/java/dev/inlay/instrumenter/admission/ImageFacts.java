package dev.inlay.instrumenter.admission;

import java.util.List;

/**
 * What the registry says about one image, as far as admission cares: per platform, the manifest digest and the inlay
 * labels of its config.
 *
 * @param digest the digest the reference resolved to (the index's for a multi-platform image)
 * @param index whether it is an image index (then {@code platforms} are its images)
 * @param platforms every platform image read (attestation manifests, {@code unknown/unknown}, are not images)
 */
public record ImageFacts(String digest, boolean index, List<Platform> platforms) {
    public ImageFacts {
        platforms = List.copyOf(platforms);
    }

    /**
     * @param platform {@code os/arch[/variant]}
     * @param manifestDigest the platform image's manifest digest
     * @param wrapped the {@code dev.inlay.wrapped} label is {@code true}
     * @param mode the {@code dev.inlay.mode} label, or null
     * @param agentFlag the {@code dev.inlay.agent-flag} label ({@code agentlib} or {@code javaagent}), or null (images
     *                  wrapped before it loaded the agent with {@code -javaagent})
     */
    public record Platform(String platform, String manifestDigest, boolean wrapped, String mode, String agentFlag) {}
}
