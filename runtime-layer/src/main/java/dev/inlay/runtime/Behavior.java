package dev.inlay.runtime;

import java.util.List;

/**
 * One observed operation with its canonical resource, as in docs/PROFILE.md. Also what an event reports about the
 * operation. Network fields are set for network operations only, args for processes, loader for class definitions,
 * target ("class") for capabilities.
 */
final class Behavior {
    final String category;
    final String operation;
    final String resource;
    String host;
    String address;
    int port = -1;
    String protocol;
    List<String> args;
    String loader;
    /** Capabilities: the class concerned (sun.misc.Unsafe, the JDK class reflected on, the class retransformed). */
    String target;
    /** Learn mode: a directory's many files recorded as one pattern ({@code dir/*}, {@code dir/**}). */
    boolean summary;

    Behavior(String category, String operation, String resource) {
        this.category = category;
        this.operation = operation;
        this.resource = resource;
    }

    /** Two behaviors are the same when category, operation, resource and (processes) args are equal. */
    String key() {
        StringBuilder sb = new StringBuilder(category.length() + operation.length() + resource.length() + 8)
                .append(category).append('\u0000').append(operation).append('\u0000').append(resource);
        if (args != null) for (String a : args) sb.append('\u0000').append(a);
        return sb.toString();
    }

    /** Writes this behavior's fields (not count or times) into a JSON object. */
    Json fields(Json json) {
        json.field("category", category).field("operation", operation).field("resource", resource);
        if (host != null) json.field("host", host);
        if (address != null) json.field("address", address);
        if (port >= 0) json.field("port", port);
        if (protocol != null) json.field("protocol", protocol);
        if (args != null) json.strings("args", args);
        if (loader != null) json.field("loader", loader);
        if (target != null) json.field("class", target);
        if (summary) json.field("summary", true);
        return json;
    }
}
