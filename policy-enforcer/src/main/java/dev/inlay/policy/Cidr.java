package dev.inlay.policy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 block. Parsing accepts only literals: IPv4 strictly as four decimal octets (the JDK also accepts
 * legacy forms like {@code 10.1}), IPv6 through the JDK, which never resolves a string containing ':'.
 * IPv4-mapped IPv6 blocks ({@code ::ffff:10.0.0.0/104}) become their IPv4 block.
 */
public final class Cidr {
    private final boolean v4;
    private final int prefix;
    private final long hi;
    private final long lo;

    private Cidr(boolean v4, int prefix, long hi, long lo) {
        this.v4 = v4;
        this.prefix = prefix;
        this.hi = hi;
        this.lo = lo;
    }

    public static Cidr parse(String s) {
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        int prefix = -1;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3) return null;
            for (int i = 0; i < p.length(); i++) if (!Character.isDigit(p.charAt(i))) return null;
            prefix = Integer.parseInt(p);
        }
        long v4 = parseIpv4(addr);
        if (v4 >= 0) {
            if (prefix > 32) return null;
            int pre = prefix < 0 ? 32 : prefix;
            return new Cidr(true, pre, 0, v4 & mask4(pre));
        }
        if (addr.indexOf(':') < 0 || addr.indexOf('%') >= 0) return null;
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(addr).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
        if (bytes.length == 4) { // ::ffff:a.b.c.d comes back as IPv4 already
            int pre = prefix < 0 ? 32 : prefix - 96;
            if (pre < 0 || pre > 32) return null;
            return new Cidr(true, pre, 0, toInt(bytes) & 0xFFFFFFFFL & mask4(pre));
        }
        if (prefix > 128) return null;
        int pre = prefix < 0 ? 128 : prefix;
        long h = 0, l = 0;
        for (int i = 0; i < 8; i++) h = (h << 8) | (bytes[i] & 0xFF);
        for (int i = 8; i < 16; i++) l = (l << 8) | (bytes[i] & 0xFF);
        return new Cidr(false, pre, h & mask6hi(pre), l & mask6lo(pre));
    }

    /** Four decimal octets, no leading '+', at most three digits each; -1 when not such a literal. */
    public static long parseIpv4(String s) {
        long value = 0;
        int octets = 0, i = 0, n = s.length();
        while (i < n) {
            int start = i, v = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - start < 3)
                v = v * 10 + (s.charAt(i++) - '0');
            if (i == start || v > 255) return -1;
            value = (value << 8) | v;
            octets++;
            if (i == n) break;
            if (s.charAt(i) != '.' || octets == 4) return -1;
            i++;
            if (i == n) return -1;
        }
        return octets == 4 ? value : -1;
    }

    static int toInt(byte[] b) {
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    public static long mask4(int prefix) {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    static long mask6hi(int prefix) {
        if (prefix >= 64) return -1L;
        return prefix == 0 ? 0 : -1L << (64 - prefix);
    }

    static long mask6lo(int prefix) {
        if (prefix <= 64) return 0;
        return prefix == 128 ? -1L : -1L << (128 - prefix);
    }

    public boolean isV4() {
        return v4;
    }

    public int prefix() {
        return prefix;
    }

    /** The IPv4 network as an unsigned 32-bit value. */
    public long v4Network() {
        return lo;
    }

    public boolean containsV6(long addrHi, long addrLo) {
        return !v4 && (addrHi & mask6hi(prefix)) == hi && (addrLo & mask6lo(prefix)) == lo;
    }

    public boolean containsV4(long addr) {
        return v4 && (addr & mask4(prefix)) == lo;
    }

    /** True when the address (any family) lies in the block; IPv4-mapped IPv6 addresses match IPv4 blocks. */
    public boolean contains(InetAddress address) {
        if (address instanceof Inet4Address) return containsV4(address.hashCode() & 0xFFFFFFFFL);
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            long h = 0, l = 0;
            for (int i = 0; i < 8; i++) h = (h << 8) | (b[i] & 0xFF);
            for (int i = 8; i < 16; i++) l = (l << 8) | (b[i] & 0xFF);
            if (h == 0 && (l >>> 32) == 0xFFFFL) return containsV4(l & 0xFFFFFFFFL);
            return containsV6(h, l);
        }
        return false;
    }
}
