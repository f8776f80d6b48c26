package dev.inlay.model;

import java.util.List;

/**
 * One observed operation with its canonical resource, as in docs/PROFILE.md; also what an event reports about the
 * operation (docs/EVENTS.md). Network fields are set for network operations only ({@link #network}), args for
 * processes, loader for class definitions, target ({@value #CLASS}) for capabilities.
 *
 * <p>The agent writes it ({@link #writeFields}) and the profiler reads it ({@link #read}): a field added here is
 * written and read by both. Mutable and without accessors because the agent makes one per checked operation.
 */
public final class Behavior {
    public static final String CATEGORY = "category";
    public static final String OPERATION = "operation";
    public static final String RESOURCE = "resource";
    public static final String HOST = "host";
    public static final String ADDRESS = "address";
    public static final String PORT = "port";
    public static final String PROTOCOL = "protocol";
    public static final String ARGS = "args";
    public static final String LOADER = "loader";
    public static final String CLASS = "class";
    public static final String SUMMARY = "summary";
    /** Which code asked ({@link Component#id}); absent when only the JDK and inlay did. */
    public static final String COMPONENT = "component";
    /** A profile's behavior: how often it was seen between {@link #FIRST} and {@link #LAST} (docs/PROFILE.md). */
    public static final String COUNT = "count";

    public static final String FIRST = "first";
    public static final String LAST = "last";

    public final String category;
    public final String operation;
    public final String resource;
    public String host;
    public String address;
    public int port = -1;
    public String protocol;
    public List<String> args;
    public String loader;
    /** Capabilities: the class concerned (sun.misc.Unsafe, the JDK class reflected on, the class retransformed). */
    public String target;
    /** {@link Component#id} of the code that asked, null for the JVM itself (only JDK and inlay frames). */
    public String component;
    /** Learn mode: a directory's many files recorded as one pattern ({@code dir/*}, {@code dir/**}). */
    public boolean summary;

    public Behavior(String category, String operation, String resource) {
        this.category = category;
        this.operation = operation;
        this.resource = resource;
    }

    /**
     * A network operation: its resource is the endpoint's ({@link Endpoint#resource}) and its protocol, host, address
     * and port are fields of their own.
     *
     * @param host    the name connected to, null for an address literal or a local port
     * @param address the address literal, null when unresolved or local
     */
    public static Behavior network(String operation, String protocol, String host, String address, int port) {
        Behavior b = new Behavior(Endpoint.NETWORK, operation, Endpoint.resource(protocol, host, address, port));
        b.protocol = protocol;
        b.host = host;
        b.address = address;
        b.port = port;
        return b;
    }

    /** Two behaviors are the same when category, operation, resource, (processes) args and component are equal. */
    public String key() {
        StringBuilder sb = new StringBuilder(category.length() + operation.length() + resource.length() + 8)
                .append(category)
                .append('\u0000')
                .append(operation)
                .append('\u0000')
                .append(resource);
        if (args != null) for (String a : args) sb.append('\u0000').append(a);
        if (component != null) sb.append('\u0001').append(component);
        return sb.toString();
    }

    /** Writes this behavior's fields (not count or times) into a JSON object. */
    public JsonLine writeFields(JsonLine json) {
        json.field(CATEGORY, category).field(OPERATION, operation).field(RESOURCE, resource);
        if (host != null) json.field(HOST, host);
        if (address != null) json.field(ADDRESS, address);
        if (port >= 0) json.field(PORT, port);
        if (protocol != null) json.field(PROTOCOL, protocol);
        if (args != null) json.strings(ARGS, args);
        if (loader != null) json.field(LOADER, loader);
        if (target != null) json.field(CLASS, target);
        if (summary) json.field(SUMMARY, true);
        if (component != null) json.field(COMPONENT, component);
        return json;
    }

    /** The fields {@link #writeFields} wrote; a missing category, operation or resource reads as empty. */
    public static Behavior read(FieldReader in) {
        Behavior b = new Behavior(orEmpty(in.text(CATEGORY)), orEmpty(in.text(OPERATION)), orEmpty(in.text(RESOURCE)));
        b.host = in.text(HOST);
        b.address = in.text(ADDRESS);
        b.port = (int) in.number(PORT, -1);
        b.protocol = in.text(PROTOCOL);
        b.args = in.texts(ARGS);
        b.loader = in.text(LOADER);
        b.target = in.text(CLASS);
        b.summary = in.flag(SUMMARY);
        b.component = in.text(COMPONENT);
        return b;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
