package dev.inlay.profiler.generate;

import dev.inlay.model.Endpoint;

import java.util.regex.Pattern;

/**
 * A learned network behavior's resource, {@code tcp://host:port} or {@code udp://[v6]:port} as the agent writes it
 * (docs/PROFILE.md, the model's {@link Endpoint}). The one place the generator reads it: the protocol, host
 * (unbracketed, empty for a local endpoint) and port every network rule is made from.
 */
record NetworkResource(String protocol, String host, String port) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** The parts of a learned resource, or null where it is not of the agent's form (the model's {@link Endpoint}). */
    static NetworkResource parse(String resource) {
        Endpoint endpoint = Endpoint.parse(resource);
        return endpoint == null
                ? null
                : new NetworkResource(endpoint.protocol, endpoint.host, String.valueOf(endpoint.port));
    }

    /** Whether the host is an address (IPv4 or IPv6) rather than a name. */
    boolean byAddress() {
        return isAddress(host);
    }

    /** The same endpoint reached at another address: what a connection by name and one by address share. */
    String endpointAt(String address) {
        return protocol + "|" + unbracket(address) + "|" + port;
    }

    static boolean isAddress(String host) {
        return IPV4.matcher(host).matches() || host.contains(":");
    }

    static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The first port of a port or a range ({@code 80}, {@code 32768-40000}); unparsable values sort last. */
    static int portStart(String port) {
        int dash = port.indexOf('-');
        try {
            return Integer.parseInt(dash < 0 ? port : port.substring(0, dash));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }
}
