package dev.inlay.policy;

/** An inclusive port range; a single port is a range of one. */
public record PortRange(int low, int high) {
    public static PortRange parse(String s) {
        int dash = s.indexOf('-');
        int low = port(dash < 0 ? s : s.substring(0, dash));
        int high = dash < 0 ? low : port(s.substring(dash + 1));
        if (low < 0 || high < 0 || low > high) return null;
        return new PortRange(low, high);
    }

    private static int port(String s) {
        if (s.isEmpty() || s.length() > 5) return -1;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return -1;
        int p = Integer.parseInt(s);
        return p <= 65535 ? p : -1;
    }

    public boolean contains(int port) {
        return port >= low && port <= high;
    }

    @Override
    public String toString() {
        return low == high ? Integer.toString(low) : low + "-" + high;
    }
}
