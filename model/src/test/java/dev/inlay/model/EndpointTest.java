package dev.inlay.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The network resource the agent writes is the one the profiler reads back. */
class EndpointTest {
    @Test
    void whatTheAgentWritesParsesBackIntoItsParts() {
        check(
                Behavior.network("connect", Endpoint.TCP, "db.internal", "10.0.0.5", 5432),
                "tcp://db.internal:5432",
                "db.internal",
                5432);
        check(Behavior.network("connect", Endpoint.UDP, null, "10.0.0.5", 53), "udp://10.0.0.5:53", "10.0.0.5", 53);
        check(Behavior.network("connect", Endpoint.TCP, null, "fe80::1", 443), "tcp://[fe80::1]:443", "fe80::1", 443);
        check(Behavior.network("listen", Endpoint.TCP, null, null, 8080), "tcp://:8080", "", 8080);
    }

    private static void check(Behavior b, String resource, String host, int port) {
        assertEquals(Endpoint.NETWORK, b.category);
        assertEquals(resource, b.resource);
        Endpoint parsed = Endpoint.parse(b.resource);
        assertEquals(b.protocol, parsed.protocol);
        assertEquals(host, parsed.host);
        assertEquals(port, parsed.port);
        assertEquals(port, b.port);
        assertEquals(resource, parsed.toString());
    }

    @Test
    void anythingElseIsNoEndpoint() {
        for (String bad : new String[] {
            "http://h:80",
            "tcp://h",
            "tcp://h:",
            "tcp://h:123456",
            "tcp://h:8o",
            "tcp://a/b:80",
            "tcp://[::1:80",
            "tcp://[::1]]:80",
            "tcp://x[y:80",
            "tcp:/h:80",
            ""
        }) {
            assertNull(Endpoint.parse(bad), bad);
        }
        assertEquals("a:b", Endpoint.parse("tcp://a:b:80").host, "the port follows the last colon");
    }
}
