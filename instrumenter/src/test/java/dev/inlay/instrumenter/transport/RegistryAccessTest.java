package dev.inlay.instrumenter.transport;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which registries are this machine, and what plain HTTP may carry to each. */
class RegistryAccessTest {
    @Test
    void loopbackIsExactlyLocalhostOr127SlashEightOrIpv6LoopbackWithAnOptionalPort() {
        for (String r : List.of(
                "localhost",
                "localhost:5000",
                "LocalHost:1",
                "127.0.0.1",
                "127.0.0.1:5000",
                "127.1.2.3:65535",
                "127.255.255.255",
                "[::1]",
                "[::1]:5000")) {
            assertTrue(RegistryAccess.isLoopback(r), r);
        }
    }

    @Test
    void namesThatOnlyStartLikeLoopbackAreNot() {
        for (String r : List.of(
                "localhost.corp.example",
                "localhost.corp.example:5000",
                "localhostx",
                "localhost-registry:5000",
                "127.0.0.1.example.com",
                "127.0.0.1.example.com:5000",
                "127.0.0.1x",
                "[::1].example.com",
                "[::1]x",
                "[::1]:5000.example.com",
                "[::10]",
                "localhost:",
                "localhost:0",
                "localhost:65536",
                "localhost:5000x",
                "localhost:5000:1",
                "127.0.0.01",
                "127.0.0",
                "127.0.0.1.1",
                "127.0.0.256",
                "128.0.0.1",
                "0.0.0.0",
                "10.0.0.1:5000",
                "registry.example:5000",
                "",
                "[::1",
                "127.0.0.1:5000/x")) {
            assertFalse(RegistryAccess.isLoopback(r), r);
        }
    }

    @Test
    void plainHttpAndCredentialsOverPlainHttpAreSeparatePermissions() {
        RegistryAccess access = RegistryAccess.of(Set.of("registry.corp.example:5000", "localhost.corp.example:5000"));
        // this machine: both
        assertTrue(access.allowsPlainHttp("127.0.0.1:5000"));
        assertTrue(access.sendsCredentialsOverHttp("127.0.0.1:5000"));
        assertTrue(access.sendsCredentialsOverHttp("localhost"));
        // --insecure-registry: plain HTTP, but no credentials over it unless asked
        assertTrue(access.allowsPlainHttp("registry.corp.example:5000"));
        assertFalse(access.sendsCredentialsOverHttp("registry.corp.example:5000"));
        assertTrue(access.allowsPlainHttp("localhost.corp.example:5000"));
        assertFalse(access.sendsCredentialsOverHttp("localhost.corp.example:5000"));
        // a look-alike that was not named: neither
        assertFalse(access.allowsPlainHttp("localhost.corp.example"));
        assertFalse(access.sendsCredentialsOverHttp("localhost.corp.example"));
        assertFalse(access.allowsPlainHttp("127.0.0.1.example.com:5000"));
        assertFalse(access.sendsCredentialsOverHttp("127.0.0.1.example.com:5000"));

        RegistryAccess optedIn = new RegistryAccess(
                Set.of("registry.corp.example:5000"), true, RegistryAuth.DEFAULT, RegistryAuth.DEFAULT);
        assertTrue(optedIn.sendsCredentialsOverHttp("registry.corp.example:5000"));
        assertFalse(
                optedIn.sendsCredentialsOverHttp("other.corp.example:5000"),
                "the opt-in covers only the named registries");
    }
}
