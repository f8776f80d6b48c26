package dev.inlay.instrumenter.transport;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import com.google.cloud.tools.jib.registry.credentials.CredentialRetrievalException;
import dev.inlay.instrumenter.BadInputException;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the credentials for one registry come from, as podman, skopeo and buildah find them
 * (containers-auth.json(5)): {@code --creds USER[:PASS]} first; otherwise the first of these files that has an entry for
 * the registry (an {@code auths} entry, or a {@code credHelpers}/{@code credsStore} helper, run as
 * {@code docker-credential-NAME get}):
 * <ol>
 *   <li>{@code --authfile FILE}, else {@code $REGISTRY_AUTH_FILE}, else {@code $XDG_RUNTIME_DIR/containers/auth.json},
 *       else (XDG_RUNTIME_DIR unset) {@code /run/containers/UID/auth.json} — where {@code podman login} writes;</li>
 *   <li>{@code ${XDG_CONFIG_HOME:-~/.config}/containers/auth.json};</li>
 *   <li>{@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json} — where {@code docker login} writes;</li>
 *   <li>{@code ~/.dockercfg} (the legacy Docker format);</li>
 * </ol>
 * then the well-known credential helpers for GCR and ECR (Jib's). The files are read with Jib's
 * DockerConfigCredentialRetriever. No entry anywhere: anonymous.
 *
 * @param authFile {@code --authfile}: the primary file instead of $REGISTRY_AUTH_FILE or the runtime directory's
 * @param creds {@code --creds USER[:PASS]}; without {@code :PASS} the password is read from the terminal
 */
public record RegistryAuth(Path authFile, String creds) {
    public static final RegistryAuth DEFAULT = new RegistryAuth(null, null);

    /** The process environment, or a test's. */
    public record Environment(Map<String, String> variables, Path home, long uid) {
        public static Environment current() {
            long uid;
            try {
                uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                uid = -1; // no /proc: the runtime-directory fallback is not consulted
            }
            // $HOME first, as podman and skopeo (the JVM's user.home comes from the password database)
            String home = System.getenv("HOME");
            return new Environment(
                    System.getenv(),
                    Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home")),
                    uid);
        }

        String get(String name) {
            String v = variables.get(name);
            return v == null || v.isEmpty() ? null : v;
        }
    }

    /** Another {@code RegistryAuth} where this one leaves a field unset: {@code --src-creds} over {@code --creds}. */
    public RegistryAuth or(RegistryAuth fallback) {
        return new RegistryAuth(
                authFile != null ? authFile : fallback.authFile, creds != null ? creds : fallback.creds);
    }

    /** The files consulted, in order (they need not exist, except an explicit --authfile or $REGISTRY_AUTH_FILE). */
    public List<Path> authFiles(Environment env) {
        List<Path> files = new ArrayList<>();
        if (authFile != null) {
            if (!Files.isRegularFile(authFile))
                throw new BadInputException("--authfile " + authFile + ": no such file");
            files.add(authFile);
        } else if (env.get("REGISTRY_AUTH_FILE") != null) {
            Path p = Path.of(env.get("REGISTRY_AUTH_FILE"));
            if (!Files.isRegularFile(p)) throw new BadInputException("REGISTRY_AUTH_FILE=" + p + ": no such file");
            files.add(p);
        } else if (env.get("XDG_RUNTIME_DIR") != null) {
            files.add(Path.of(env.get("XDG_RUNTIME_DIR"), "containers", "auth.json"));
        } else if (env.uid() >= 0) {
            files.add(Path.of("/run/containers", Long.toString(env.uid()), "auth.json"));
        }
        String configHome = env.get("XDG_CONFIG_HOME");
        files.add(
                configHome != null
                        ? Path.of(configHome, "containers", "auth.json")
                        : env.home().resolve(".config/containers/auth.json"));
        String dockerConfig = env.get("DOCKER_CONFIG");
        files.add(
                dockerConfig != null
                        ? Path.of(dockerConfig, "config.json")
                        : env.home().resolve(".docker/config.json"));
        files.add(env.home().resolve(".dockercfg"));
        return files;
    }

    /** What was found, and where (for messages: "credentials from FILE were refused"). */
    record Found(Optional<Credential> credential, String source) {}

    static final String NONE_FOUND = "none found in ";

    Found credential(ImageReference reference, Environment env, Consumer<String> warnings) throws IOException {
        if (creds != null) return new Found(Optional.of(parseCreds(creds)), "--creds");
        Consumer<LogEvent> log = e -> {
            if (e.getLevel() == LogEvent.Level.WARN || e.getLevel() == LogEvent.Level.ERROR)
                warnings.accept(e.getMessage());
        };
        CredentialRetrieverFactory factory = CredentialRetrieverFactory.forImage(reference, log);
        List<Path> files = authFiles(env);
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            if (!Files.exists(file)) continue;
            boolean legacy = i == files.size() - 1;
            Optional<Credential> c =
                    retrieve(legacy ? factory.legacyDockerConfig(file) : factory.dockerConfig(file), reference);
            if (c.isPresent()) return new Found(c, file.toString());
        }
        Optional<Credential> helper = retrieve(factory.wellKnownCredentialHelpers(), reference);
        if (helper.isPresent()) return new Found(helper, "a well-known credential helper");
        return new Found(Optional.empty(), NONE_FOUND + files);
    }

    private static Optional<Credential> retrieve(CredentialRetriever retriever, ImageReference reference)
            throws IOException {
        try {
            return retriever.retrieve();
        } catch (CredentialRetrievalException e) {
            throw new IOException("cannot read credentials for " + reference.getRegistry() + ": " + e.getMessage(), e);
        }
    }

    /** {@code USER:PASS}, split at the first colon (a password may contain colons); {@code USER} asks the terminal. */
    static Credential parseCreds(String creds) {
        int colon = creds.indexOf(':');
        String user = colon < 0 ? creds : creds.substring(0, colon);
        if (user.isEmpty()) throw new BadInputException("--creds needs USER[:PASS], not an empty user name");
        if (colon >= 0) return Credential.from(user, creds.substring(colon + 1));
        Console console = System.console();
        if (console == null)
            throw new BadInputException(
                    "--creds " + user + " has no password and there is no terminal to ask for it: use USER:PASS");
        char[] password = console.readPassword("Password for %s: ", user);
        if (password == null) throw new BadInputException("--creds " + user + ": no password given");
        return Credential.from(user, new String(password));
    }
}
