package dev.inlay.instrumenter.transport;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.ImageReference;
import dev.inlay.instrumenter.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The credential lookup order of containers-auth.json(5), on real files. */
class RegistryAuthTest {
    @TempDir
    Path tmp;

    private RegistryAuth.Environment env(Map<String, String> vars) {
        return new RegistryAuth.Environment(vars, tmp.resolve("home"), 1234);
    }

    @Test
    void lookupOrderWithoutAnything() {
        List<Path> files = RegistryAuth.DEFAULT.authFiles(env(Map.of()));
        Path home = tmp.resolve("home");
        assertEquals(
                List.of(
                        Path.of("/run/containers/1234/auth.json"),
                        home.resolve(".config/containers/auth.json"),
                        home.resolve(".docker/config.json"),
                        home.resolve(".dockercfg")),
                files);
    }

    @Test
    void lookupOrderFollowsTheEnvironment() throws Exception {
        Path registryAuthFile = Files.writeString(tmp.resolve("registry-auth.json"), "{}");
        Map<String, String> vars = new HashMap<>(Map.of(
                "XDG_RUNTIME_DIR", "/xdg-run", "XDG_CONFIG_HOME", "/xdg-config", "DOCKER_CONFIG", "/docker-config"));
        assertEquals(
                List.of(
                        Path.of("/xdg-run/containers/auth.json"),
                        Path.of("/xdg-config/containers/auth.json"),
                        Path.of("/docker-config/config.json"),
                        tmp.resolve("home/.dockercfg")),
                RegistryAuth.DEFAULT.authFiles(env(vars)));
        vars.put("REGISTRY_AUTH_FILE", registryAuthFile.toString());
        assertEquals(
                registryAuthFile,
                RegistryAuth.DEFAULT.authFiles(env(vars)).get(0),
                "REGISTRY_AUTH_FILE before the runtime directory");
        Path explicit = Files.writeString(tmp.resolve("explicit.json"), "{}");
        List<Path> withAuthFile = new RegistryAuth(explicit, null).authFiles(env(vars));
        assertEquals(explicit, withAuthFile.get(0), "--authfile before REGISTRY_AUTH_FILE");
        assertFalse(withAuthFile.contains(registryAuthFile));
        assertEquals(
                Path.of("/xdg-config/containers/auth.json"),
                withAuthFile.get(1),
                "the other files are still consulted after --authfile");
    }

    @Test
    void aMissingExplicitFileIsAnError() {
        BadInputException e = assertThrows(
                BadInputException.class,
                () -> new RegistryAuth(tmp.resolve("nope.json"), null).authFiles(env(Map.of())));
        assertTrue(
                e.getMessage().contains("--authfile " + tmp.resolve("nope.json") + ": no such file"), e.getMessage());
        e = assertThrows(
                BadInputException.class,
                () -> RegistryAuth.DEFAULT.authFiles(env(
                        Map.of("REGISTRY_AUTH_FILE", tmp.resolve("gone.json").toString()))));
        assertTrue(e.getMessage().startsWith("REGISTRY_AUTH_FILE="), e.getMessage());
    }

    private static String authJson(String registry, String user, String password) {
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return "{\"auths\":{\"" + registry + "\":{\"auth\":\"" + auth + "\"}}}";
    }

    @Test
    void theFirstFileWithAnEntryForTheRegistryWins() throws Exception {
        Path runtime = tmp.resolve("run");
        Files.createDirectories(runtime.resolve("containers"));
        Path home = tmp.resolve("home");
        Files.createDirectories(home.resolve(".docker"));
        // the runtime directory's file has only another registry; ~/.docker/config.json has this one
        Files.writeString(runtime.resolve("containers/auth.json"), authJson("other.example:5000", "other", "x"));
        Files.writeString(
                home.resolve(".docker/config.json"), authJson("127.0.0.1:5999", "docker-user", "docker:pass"));
        ImageReference ref = ImageReference.parse("127.0.0.1:5999/app:1");
        List<String> warnings = new ArrayList<>();
        RegistryAuth.Found found =
                RegistryAuth.DEFAULT.credential(ref, env(Map.of("XDG_RUNTIME_DIR", runtime.toString())), warnings::add);
        assertEquals(
                Credential.from("docker-user", "docker:pass"),
                found.credential().orElseThrow());
        assertEquals(home.resolve(".docker/config.json").toString(), found.source());
        // podman login's file wins once it has the registry
        Files.writeString(runtime.resolve("containers/auth.json"), authJson("127.0.0.1:5999", "podman-user", "p"));
        found = RegistryAuth.DEFAULT.credential(ref, env(Map.of("XDG_RUNTIME_DIR", runtime.toString())), warnings::add);
        assertEquals(Credential.from("podman-user", "p"), found.credential().orElseThrow());
        // --creds wins over every file
        found = new RegistryAuth(null, "cli-user:a:b")
                .credential(ref, env(Map.of("XDG_RUNTIME_DIR", runtime.toString())), warnings::add);
        assertEquals(Credential.from("cli-user", "a:b"), found.credential().orElseThrow());
        assertEquals("--creds", found.source());
        // nothing for a third registry: anonymous
        found = RegistryAuth.DEFAULT.credential(
                ImageReference.parse("127.0.0.1:6000/app:1"),
                env(Map.of("XDG_RUNTIME_DIR", runtime.toString())),
                warnings::add);
        assertTrue(found.credential().isEmpty());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void credsWithoutAPasswordAndNoTerminalIsAnError() {
        // surefire's JVM has no console
        BadInputException e = assertThrows(BadInputException.class, () -> RegistryAuth.parseCreds("alice"));
        assertTrue(e.getMessage().contains("use USER:PASS"), e.getMessage());
        assertThrows(BadInputException.class, () -> RegistryAuth.parseCreds(":secret"));
    }

    @Test
    void sourceAndTargetOptionsOverrideTheSharedOnes() {
        RegistryAuth shared = new RegistryAuth(Path.of("/shared.json"), "u:p");
        assertEquals(
                new RegistryAuth(Path.of("/src.json"), "u:p"), new RegistryAuth(Path.of("/src.json"), null).or(shared));
        assertEquals(new RegistryAuth(Path.of("/shared.json"), "s:q"), new RegistryAuth(null, "s:q").or(shared));
    }
}
