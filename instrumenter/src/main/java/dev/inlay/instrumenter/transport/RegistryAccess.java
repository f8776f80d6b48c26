package dev.inlay.instrumenter.transport;

import java.util.Set;

/**
 * How inlay may talk to registries: which ones may use plain HTTP or unverified TLS, whether credentials may travel
 * over plain HTTP, and where the credentials for the source and the target come from. Plain HTTP and credentials over
 * plain HTTP are separate permissions, as in Jib ({@code allowInsecureRegistries} and {@code sendCredentialsOverHttp}):
 * a registry on this machine gets both, a registry named with {@code --insecure-registry} only the first unless
 * {@code --send-credentials-over-http} is given too.
 */
public record RegistryAccess(
        Set<String> insecureRegistries,
        boolean sendCredentialsOverHttp,
        RegistryAuth sourceAuth,
        RegistryAuth targetAuth) {
    public RegistryAccess {
        insecureRegistries = Set.copyOf(insecureRegistries);
    }

    public static RegistryAccess of(Set<String> insecureRegistries) {
        return new RegistryAccess(insecureRegistries, false, RegistryAuth.DEFAULT, RegistryAuth.DEFAULT);
    }

    /** Plain HTTP (after HTTPS fails) and unverified TLS for {@code registry} ({@code host[:port]} as in an image reference). */
    boolean allowsPlainHttp(String registry) {
        return isLoopback(registry) || insecureRegistries.contains(registry);
    }

    /** Credentials on a plain HTTP connection: never leave the machine for a loopback registry; elsewhere only when asked. */
    boolean sendsCredentialsOverHttp(String registry) {
        return isLoopback(registry) || (sendCredentialsOverHttp && insecureRegistries.contains(registry));
    }

    /**
     * Whether {@code registry} ({@code host[:port]}) is this machine: exactly {@code localhost}, an IPv4 literal in
     * 127.0.0.0/8 or {@code [::1]}, with an optional port. A name that merely starts with one of them
     * ({@code localhost.corp.example}, {@code 127.0.0.1.example.com}) is a name like any other, resolved by DNS.
     */
    public static boolean isLoopback(String registry) {
        if (registry == null || registry.isEmpty()) return false;
        String host = registry;
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            if (end < 0) return false;
            String rest = host.substring(end + 1);
            return (rest.isEmpty() || isPort(rest)) && host.substring(1, end).equals("::1");
        }
        int colon = host.indexOf(':');
        if (colon >= 0) {
            if (!isPort(host.substring(colon))) return false;
            host = host.substring(0, colon);
        }
        return host.equalsIgnoreCase("localhost") || isIpv4Loopback(host);
    }

    /** {@code :N} with N in 1..65535, decimal digits only. */
    private static boolean isPort(String colonPort) {
        if (colonPort.length() < 2 || colonPort.length() > 6 || colonPort.charAt(0) != ':') return false;
        int port = 0;
        for (int i = 1; i < colonPort.length(); i++) {
            char c = colonPort.charAt(i);
            if (c < '0' || c > '9') return false;
            port = port * 10 + (c - '0');
        }
        return port >= 1 && port <= 65535;
    }

    /** Four decimal octets (no leading zeros: some resolvers read those as octal), the first 127. */
    private static boolean isIpv4Loopback(String host) {
        String[] octets = host.split("\\.", -1);
        if (octets.length != 4) return false;
        for (String o : octets) {
            if (o.isEmpty() || o.length() > 3 || (o.length() > 1 && o.charAt(0) == '0')) return false;
            for (int i = 0; i < o.length(); i++) if (o.charAt(i) < '0' || o.charAt(i) > '9') return false;
            if (Integer.parseInt(o) > 255) return false;
        }
        return octets[0].equals("127");
    }
}
