package dev.inlay.profiler.generate;

import dev.inlay.policy.Category;
import dev.inlay.policy.Selector;

import java.util.List;
import java.util.TreeSet;

/** Many ephemeral ports to one host (passive FTP, RMI) become the observed range, not one rule per port. */
final class RangeEphemeralPorts implements DraftPass {
    /** Distinct ephemeral ports to one host needed before they become one range. */
    static final int THRESHOLD = 4;

    static final int EPHEMERAL_PORT_MIN = 32768;

    @Override
    public void apply(Drafts drafts) {
        for (Draft d : drafts.all()) {
            if (d.category != Category.NETWORK || !d.selectors.containsKey(Selector.PORTS)) continue;
            if (!d.selectors.containsKey(Selector.HOSTS) && !d.selectors.containsKey(Selector.CIDRS)) continue;
            TreeSet<String> ports = d.values(Selector.PORTS);
            List<String> ephemeral = ports.stream()
                    .filter(p -> NetworkResource.portStart(p) >= EPHEMERAL_PORT_MIN)
                    .toList();
            if (ephemeral.size() < THRESHOLD) continue;
            ports.removeAll(ephemeral);
            ports.add(ephemeral.get(0) + "-" + ephemeral.get(ephemeral.size() - 1));
            d.generalized = true;
        }
    }
}
