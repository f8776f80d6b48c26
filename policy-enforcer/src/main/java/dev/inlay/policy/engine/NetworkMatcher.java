package dev.inlay.policy.engine;

import dev.inlay.policy.Cidr;
import dev.inlay.policy.PortRange;
import dev.inlay.policy.Rule;
import dev.inlay.policy.Selector;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * Network rules: a rule matches when the operation and protocol fit, the port lies in one of its ranges (any port when
 * it has none), and the destination matches one of its hosts or CIDR blocks (any destination when it has neither).
 * IPv4 blocks are hashed per prefix length; IPv4-mapped IPv6 addresses are matched as IPv4.
 */
final class NetworkMatcher implements HostIndex.RuleCheck {
    static final int TCP = 1;
    static final int UDP = 2;

    private final RuleTable table;
    private final HostIndex hosts = new HostIndex();
    private final int[] anyDestination;
    private final int[] v4Prefixes;
    private final LongTable[] v4Tables;
    private final int[] v6Rules;
    private final Cidr[] v6Blocks;
    private final PortRange[][] ports;
    private final int[] protocols;

    NetworkMatcher(RuleTable table, Selector hostSelector) {
        this.table = table;
        int n = table.size();
        ports = new PortRange[n][];
        protocols = new int[n];
        List<Integer> any = new ArrayList<>();
        TreeSet<Integer> prefixes = new TreeSet<>(Collections.reverseOrder());
        List<Integer> v6r = new ArrayList<>();
        List<Cidr> v6b = new ArrayList<>();
        List<long[]> v4 = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Rule r = table.rules[i];
            List<String> portValues = r.values(Selector.PORTS);
            if (!portValues.isEmpty()) {
                ports[i] = new PortRange[portValues.size()];
                for (int k = 0; k < ports[i].length; k++) ports[i][k] = PortRange.parse(portValues.get(k));
            }
            for (String p : r.values(Selector.PROTOCOLS)) protocols[i] |= p.equals("udp") ? UDP : TCP;
            List<String> hostValues = hostSelector == null ? List.of() : r.values(hostSelector);
            List<String> cidrs = r.values(Selector.CIDRS);
            if (hostValues.isEmpty() && cidrs.isEmpty()) any.add(i);
            for (String h : hostValues) hosts.add(h, i);
            for (String c : cidrs) {
                Cidr cidr = Cidr.parse(c);
                if (cidr.isV4()) {
                    prefixes.add(cidr.prefix());
                    v4.add(new long[] {cidr.prefix(), cidr.v4Network(), i});
                } else {
                    v6r.add(i);
                    v6b.add(cidr);
                }
            }
        }
        hosts.freeze();
        anyDestination = Ints.of(any);
        v4Prefixes = Ints.of(prefixes);
        v4Tables = new LongTable[v4Prefixes.length];
        for (int j = 0; j < v4Prefixes.length; j++) v4Tables[j] = new LongTable();
        for (long[] e : v4) {
            for (int j = 0; j < v4Prefixes.length; j++) {
                if (v4Prefixes[j] == e[0]) v4Tables[j].add(e[1], (int) e[2]);
            }
        }
        v6Rules = Ints.of(v6r);
        v6Blocks = v6b.toArray(new Cidr[0]);
    }

    @Override
    public boolean accepts(int rule, int port, int protocolBit) {
        if (protocols[rule] != 0 && (protocols[rule] & protocolBit) == 0) return false;
        PortRange[] ranges = ports[rule];
        if (ranges == null) return true;
        for (PortRange range : ranges) if (range.contains(port)) return true;
        return false;
    }

    /** @param applies per rule, whether it applies to who asked (see {@link RuleTable#bestOf}); null: all do */
    int match(int opBit, int protocolBit, String host, InetAddress address, int port, boolean[] applies) {
        int best = -1;
        for (int r : anyDestination) {
            if ((table.operationMask[r] & opBit) != 0
                    && (applies == null || applies[r])
                    && accepts(r, port, protocolBit)) best = table.better(best, r);
        }
        best = hosts.best(host, best, opBit, port, protocolBit, table, this, applies);
        if (address == null) return best;
        long v4 = -1;
        if (address instanceof Inet4Address) {
            v4 = address.hashCode()
                    & 0xFFFFFFFFL; // Inet4Address.hashCode() is the address; getAddress() would allocate
        } else if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            long hi = 0, lo = 0;
            for (int i = 0; i < 8; i++) hi = (hi << 8) | (b[i] & 0xFF);
            for (int i = 8; i < 16; i++) lo = (lo << 8) | (b[i] & 0xFF);
            if (hi == 0 && (lo >>> 32) == 0xFFFFL) {
                v4 = lo & 0xFFFFFFFFL;
            } else {
                for (int k = 0; k < v6Rules.length; k++) {
                    int r = v6Rules[k];
                    if ((table.operationMask[r] & opBit) != 0
                            && (applies == null || applies[r])
                            && v6Blocks[k].containsV6(hi, lo)
                            && accepts(r, port, protocolBit)) {
                        best = table.better(best, r);
                    }
                }
            }
        }
        if (v4 >= 0) {
            for (int j = 0; j < v4Prefixes.length; j++) {
                int[] rules = v4Tables[j].get(v4 & Cidr.mask4(v4Prefixes[j]));
                if (rules == null) continue;
                for (int r : rules) {
                    if ((table.operationMask[r] & opBit) != 0
                            && (applies == null || applies[r])
                            && accepts(r, port, protocolBit)) best = table.better(best, r);
                }
            }
        }
        return best;
    }
}
