package dev.inlay.model;

/**
 * A network behavior's resource: {@code tcp://host:port} to a named host, {@code tcp://[::1]:port} or
 * {@code tcp://10.0.0.1:port} to an address, {@code tcp://:port} for a local port (listen, accept); {@code udp} alike
 * (docs/PROFILE.md). The agent writes it ({@link #resource}), the profiler reads it back ({@link #parse}): one format,
 * parsed without regular expressions.
 */
public final class Endpoint {
    public static final String NETWORK = "network";
    public static final String TCP = "tcp";
    public static final String UDP = "udp";
    private static final String SEPARATOR = "://";

    /** {@value #TCP} or {@value #UDP}. */
    public final String protocol;
    /** The host name or address (without brackets); empty for a local port. */
    public final String host;

    public final int port;

    private Endpoint(String protocol, String host, int port) {
        this.protocol = protocol;
        this.host = host;
        this.port = port;
    }

    /** The resource of a connection to {@code host} (or to {@code address}, when host is null), or of a local port. */
    public static String resource(String protocol, String host, String address, int port) {
        String shown =
                host != null ? host : address == null ? "" : address.indexOf(':') >= 0 ? "[" + address + "]" : address;
        return protocol + SEPARATOR + shown + ":" + port;
    }

    /** The endpoint a resource names, or null when it is not one. */
    public static Endpoint parse(String resource) {
        String protocol =
                resource.startsWith(TCP + SEPARATOR) ? TCP : resource.startsWith(UDP + SEPARATOR) ? UDP : null;
        if (protocol == null) return null;
        String rest = resource.substring(protocol.length() + SEPARATOR.length());
        int colon = rest.lastIndexOf(':');
        if (colon < 0) return null;
        String port = rest.substring(colon + 1);
        if (port.isEmpty() || port.length() > 5) return null;
        for (int i = 0; i < port.length(); i++) if (port.charAt(i) < '0' || port.charAt(i) > '9') return null;
        String host = rest.substring(0, colon);
        if (host.startsWith("[")) {
            if (host.length() < 2 || !host.endsWith("]") || host.indexOf(']') != host.length() - 1) return null;
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf('[') >= 0 || host.indexOf(']') >= 0 || host.indexOf('/') >= 0) {
            return null;
        }
        return new Endpoint(protocol, host, Integer.parseInt(port));
    }

    @Override
    public String toString() {
        return resource(protocol, null, host.isEmpty() ? null : host, port);
    }
}
