package dev.inlay.cli.image;

import dev.inlay.instrumenter.transport.RegistryAccess;
import dev.inlay.instrumenter.transport.RegistryAuth;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Options every image command shares. Credential options follow skopeo's names (docs/CLI.md, "Credentials"). */
public final class RegistryOptions {
    /** os/arch[/variant] as in OCI image indexes: lower-case names, digits, '.', '_' and '-'. */
    private static final Pattern PLATFORM =
            Pattern.compile("[a-z0-9][a-z0-9._-]*/[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)?");

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(
            names = "--insecure-registry",
            paramLabel = "HOST:PORT",
            description = "Allow plain HTTP (and unverified TLS) for this registry; repeatable. "
                    + "localhost, 127.0.0.0/8 and [::1] (exactly, with any port) always are.")
    List<String> insecureRegistries = new ArrayList<>();

    @Option(
            names = "--send-credentials-over-http",
            description =
                    "Also send credentials over plain HTTP to the --insecure-registry registries (never needed for this machine's).")
    boolean sendCredentialsOverHttp;

    @Option(
            names = "--authfile",
            paramLabel = "FILE",
            description = "Primary credentials file (podman/skopeo auth.json or a Docker config.json) instead of "
                    + "$REGISTRY_AUTH_FILE or $${XDG_RUNTIME_DIR}/containers/auth.json.")
    Path authFile;

    @Option(
            names = "--creds",
            paramLabel = "USER[:PASS]",
            description = "Credentials for the registry (without :PASS the password is asked on the terminal).")
    String creds;

    String platform;

    @Option(
            names = "--platform",
            paramLabel = "OS/ARCH[/VARIANT]",
            description =
                    "Only this platform of a multi-platform image (default: every platform); a platform the image does not have is an error (exit 3).")
    void platform(String value) {
        if (!PLATFORM.matcher(value).matches()) {
            throw new ParameterException(
                    mixee.commandLine(),
                    "--platform must be OS/ARCH[/VARIANT] such as linux/amd64 or linux/arm64/v8, not '" + value + "'");
        }
        platform = value;
    }

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress and no summary on stderr.")
    boolean quiet;

    Set<String> insecure() {
        return new LinkedHashSet<>(insecureRegistries);
    }

    /** For a command that reads one image: --authfile and --creds. */
    RegistryAccess access() {
        return access(null);
    }

    /** For a command with a source and a target: --src-* and --dest-* first, then --authfile and --creds. */
    RegistryAccess access(TransferAuthOptions transfer) {
        RegistryAuth shared = new RegistryAuth(authFile, creds);
        RegistryAuth source =
                transfer == null ? shared : new RegistryAuth(transfer.srcAuthFile, transfer.srcCreds).or(shared);
        RegistryAuth target =
                transfer == null ? shared : new RegistryAuth(transfer.destAuthFile, transfer.destCreds).or(shared);
        return new RegistryAccess(insecure(), sendCredentialsOverHttp, source, target);
    }

    /** skopeo copy's options for a source and a target that need different credentials. */
    public static final class TransferAuthOptions {
        @Option(
                names = "--src-authfile",
                paramLabel = "FILE",
                description = "Credentials file for SOURCE (overrides --authfile).")
        Path srcAuthFile;

        @Option(
                names = "--dest-authfile",
                paramLabel = "FILE",
                description = "Credentials file for TARGET (overrides --authfile).")
        Path destAuthFile;

        @Option(
                names = "--src-creds",
                paramLabel = "USER[:PASS]",
                description = "Credentials for SOURCE's registry (overrides --creds).")
        String srcCreds;

        @Option(
                names = "--dest-creds",
                paramLabel = "USER[:PASS]",
                description = "Credentials for TARGET's registry (overrides --creds).")
        String destCreds;
    }
}
