package dev.inlay.profiler.generate;

import dev.inlay.policy.Category;
import dev.inlay.profiler.profile.BehaviorKey;
import dev.inlay.profiler.profile.BehaviorStats;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The names-over-addresses preference: a connection also seen by name (with the addresses the name resolved to) makes
 * a rule for the name, not for the address, so that the policy survives the name moving to another address.
 */
final class NamedEndpoints {
    private final Set<String> endpoints;

    private NamedEndpoints(Set<String> endpoints) {
        this.endpoints = endpoints;
    }

    static NamedEndpoints of(Map<BehaviorKey, BehaviorStats> behaviors) {
        Set<String> out = new HashSet<>();
        for (Map.Entry<BehaviorKey, BehaviorStats> e : behaviors.entrySet()) {
            if (e.getKey().category() != Category.NETWORK) continue;
            NetworkResource r = NetworkResource.parse(e.getKey().resource());
            if (r == null || r.byAddress()) continue;
            for (String address : e.getValue().addresses()) out.add(r.endpointAt(address));
        }
        return new NamedEndpoints(out);
    }

    /** Whether a connection to an address was also seen by a name that resolved to it. */
    boolean seenByName(NetworkResource byAddress) {
        return byAddress.byAddress() && endpoints.contains(byAddress.endpointAt(byAddress.host()));
    }
}
