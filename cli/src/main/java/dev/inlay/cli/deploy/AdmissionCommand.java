package dev.inlay.cli.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.inlay.cli.common.ExitCode;
import dev.inlay.cli.common.InputFiles;
import dev.inlay.cli.common.OutputFiles;
import dev.inlay.instrumenter.admission.AdmissionReviewer;
import dev.inlay.instrumenter.admission.AdmissionRules;
import dev.inlay.instrumenter.admission.AdmissionRules.Check;
import dev.inlay.instrumenter.admission.AdmissionServer;
import dev.inlay.instrumenter.admission.PemFiles;
import dev.inlay.instrumenter.admission.RegistryImageInspector;
import dev.inlay.instrumenter.admission.ScanVerdictDirectory;
import dev.inlay.instrumenter.admission.ScanVerdicts;
import dev.inlay.instrumenter.admission.WebhookConfiguration;
import dev.inlay.instrumenter.transport.RegistryAccess;
import dev.inlay.instrumenter.transport.RegistryAuth;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;

/**
 * {@code inlay admission serve|config}: a Kubernetes validating admission webhook that refuses images that are not
 * pinned, not wrapped, not in the required mode or that failed the scan gate, and the configuration that registers it
 * (docs/DEPLOY.md, "Admission: refusing unapproved images").
 */
@Command(
        name = "admission",
        mixinStandardHelpOptions = true,
        description = "Refuse unapproved images in Kubernetes: a validating admission webhook and its configuration.",
        subcommands = {AdmissionCommand.Serve.class, AdmissionCommand.Config.class})
public final class AdmissionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name what to do: inlay admission serve|config");
    }

    static final List<String> DEFAULT_EXEMPT = List.of("kube-system");

    @Command(
            name = "serve",
            mixinStandardHelpOptions = true,
            description = "Serve the webhook over HTTPS (POST /validate, GET /healthz) until stopped.")
    public static final class Serve implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--cert",
                required = true,
                paramLabel = "FILE",
                description =
                        "PEM certificate of the server (then its intermediates), as the API server will verify it.")
        Path cert;

        @Option(
                names = "--key",
                required = true,
                paramLabel = "FILE",
                description = "PEM PKCS#8 private key of the certificate (-----BEGIN PRIVATE KEY-----).")
        Path key;

        @Option(
                names = "--listen",
                paramLabel = "HOST:PORT",
                defaultValue = "0.0.0.0:8443",
                description = "Address to listen on (default: ${DEFAULT-VALUE}).")
        String listen;

        @Option(
                names = "--check",
                split = ",",
                paramLabel = "CHECK",
                description =
                        "The checks that apply, of digest, wrapped, mode, scan (default: digest,wrapped,mode, and scan "
                                + "when --scan-verdicts is given).")
        List<String> checks;

        @Option(
                names = "--require-mode",
                paramLabel = "MODE",
                defaultValue = "enforce",
                description =
                        "The least mode the mode check accepts: learn < monitor < enforce (default: ${DEFAULT-VALUE}).")
        String requireMode;

        @Option(
                names = "--scan-verdicts",
                paramLabel = "DIR",
                description =
                        "Directory of scan verdicts, one sha256-HEX.json per manifest digest; an image without one is refused.")
        Path scanVerdicts;

        @Option(
                names = "--allowed-registry",
                paramLabel = "HOST[:PORT]",
                description = "Only images from these registries (repeatable; default: any).")
        List<String> allowedRegistries = new ArrayList<>();

        @Option(
                names = "--exempt-namespace",
                paramLabel = "NAMESPACE",
                defaultValue = "kube-system",
                split = ",",
                description =
                        "Namespaces allowed without a check (repeatable; default: ${DEFAULT-VALUE}; naming any replaces it).")
        List<String> exemptNamespaces;

        @Option(
                names = "--registry-timeout",
                paramLabel = "DURATION",
                defaultValue = "5s",
                description =
                        "How long one review waits for the registry in all, e.g. 5s or 800ms (default: ${DEFAULT-VALUE}); "
                                + "keep it under the webhook's timeoutSeconds.")
        String registryTimeout;

        @Option(
                names = "--on-registry-error",
                paramLabel = "deny|allow",
                defaultValue = "deny",
                description = "When the registry cannot be read: deny (default), or allow with a warning.")
        String onRegistryError;

        @Option(
                names = "--insecure-registry",
                paramLabel = "HOST:PORT",
                description =
                        "Allow plain HTTP (and unverified TLS) for this registry; repeatable. This machine's always are.")
        List<String> insecureRegistries = new ArrayList<>();

        @Option(
                names = "--authfile",
                paramLabel = "FILE",
                description =
                        "Credentials file (podman/skopeo auth.json or Docker config.json) for reading image configs.")
        Path authFile;

        /** Parses the options into rules; usage errors name the option. */
        AdmissionRules rules() {
            CommandLine cli = spec.commandLine();
            Set<Check> set = EnumSet.noneOf(Check.class);
            if (checks == null) {
                set.addAll(List.of(Check.DIGEST, Check.WRAPPED, Check.MODE));
                if (scanVerdicts != null) set.add(Check.SCAN);
            } else {
                for (String c : checks) {
                    try {
                        set.add(Check.parse(c.trim()));
                    } catch (IllegalArgumentException e) {
                        throw new CommandLine.ParameterException(cli, "--check: " + e.getMessage());
                    }
                }
            }
            if (set.contains(Check.SCAN) && scanVerdicts == null) {
                throw new CommandLine.ParameterException(cli, "the scan check needs --scan-verdicts DIR");
            }
            if (!set.contains(Check.SCAN) && scanVerdicts != null) {
                throw new CommandLine.ParameterException(cli, "--scan-verdicts is given but --check leaves out scan");
            }
            if (AdmissionRules.modeRank(requireMode) < 0) {
                throw new CommandLine.ParameterException(
                        cli, "--require-mode must be learn, monitor or enforce, not '" + requireMode + "'");
            }
            if (!onRegistryError.equals("deny") && !onRegistryError.equals("allow")) {
                throw new CommandLine.ParameterException(
                        cli, "--on-registry-error must be deny or allow, not '" + onRegistryError + "'");
            }
            Duration timeout = duration(cli, registryTimeout);
            return new AdmissionRules(
                    set,
                    requireMode,
                    new LinkedHashSet<>(allowedRegistries),
                    new LinkedHashSet<>(exemptNamespaces),
                    onRegistryError.equals("allow"),
                    timeout);
        }

        @Override
        public Integer call() throws IOException, InterruptedException {
            AdmissionServer server = start();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                server.close();
                                stopped.countDown();
                            },
                            "inlay-admission-stop"));
            stopped.await();
            return ExitCode.OK.code();
        }

        /** Checks the options, starts the server and says where it listens; used by tests to serve in-process. */
        public AdmissionServer start() throws IOException {
            AdmissionRules rules = rules();
            InetSocketAddress address = address(spec.commandLine(), listen);
            InputFiles.requireFile(cert);
            InputFiles.requireFile(key);
            ScanVerdicts verdicts = null;
            if (scanVerdicts != null) {
                if (!Files.exists(scanVerdicts)) throw new NoSuchFileException(scanVerdicts.toString());
                if (!Files.isDirectory(scanVerdicts)) throw new NotDirectoryException(scanVerdicts.toString());
                verdicts = new ScanVerdictDirectory(scanVerdicts);
            }
            if (authFile != null) InputFiles.requireFile(authFile);
            RegistryAuth auth = new RegistryAuth(authFile, null);
            RegistryAccess access = new RegistryAccess(new LinkedHashSet<>(insecureRegistries), false, auth, auth);
            javax.net.ssl.SSLContext tls = PemFiles.serverContext(cert, key, System.err);
            ExecutorService lookups = AdmissionServer.registryReads();
            AdmissionReviewer reviewer =
                    new AdmissionReviewer(rules, new RegistryImageInspector(access), verdicts, lookups);
            AdmissionServer server;
            try {
                server = AdmissionServer.start(address, tls, reviewer, lookups, System.err);
            } catch (IOException | RuntimeException e) {
                lookups.shutdownNow();
                throw e;
            }
            PrintWriter err = spec.commandLine().getErr();
            List<String> names = new ArrayList<>();
            for (Check c : rules.checks()) names.add(c.option());
            names.sort(null);
            err.println("inlay admission: listening on https://" + listen.substring(0, listen.lastIndexOf(':') + 1)
                    + server.port()
                    + AdmissionServer.PATH + " (checks: " + String.join(",", names)
                    + (rules.applies(Check.MODE) ? ", mode >= " + rules.requiredMode() : "") + "; exempt: "
                    + String.join(",", rules.exemptNamespaces())
                    + "; registry errors: " + onRegistryError + ")");
            err.flush();
            return server;
        }
    }

    /** {@code 5s}, {@code 800ms}, {@code 1m}: positive and at most 30 s (the API server's own maximum). */
    static Duration duration(CommandLine cli, String text) {
        Duration d;
        try {
            if (text.endsWith("ms")) d = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            else if (text.endsWith("s")) d = Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            else if (text.endsWith("m")) d = Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            else throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(
                    cli, "--registry-timeout must be a duration such as 5s or 800ms, not '" + text + "'");
        }
        if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new CommandLine.ParameterException(
                    cli, "--registry-timeout must be more than 0 and at most 30s, not '" + text + "'");
        }
        return d;
    }

    static InetSocketAddress address(CommandLine cli, String listen) {
        int colon = listen.lastIndexOf(':');
        try {
            if (colon <= 0) throw new NumberFormatException();
            String host = listen.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            int port = Integer.parseInt(listen.substring(colon + 1));
            if (port < 0 || port > 65535) throw new NumberFormatException();
            return new InetSocketAddress(host, port);
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(
                    cli, "--listen must be HOST:PORT such as 0.0.0.0:8443, not '" + listen + "'");
        }
    }

    @Command(
            name = "config",
            mixinStandardHelpOptions = true,
            description =
                    "Print the ValidatingWebhookConfiguration that sends Pods and workloads to the webhook (YAML).")
    static final class Config implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--ca-file",
                required = true,
                paramLabel = "FILE",
                description = "PEM certificate(s) of the CA that signed the webhook's certificate (becomes caBundle).")
        Path caFile;

        @Option(
                names = "--service",
                paramLabel = "NAMESPACE/NAME",
                description =
                        "The Service in front of 'inlay admission serve' (its namespace is exempted, so the webhook never has to admit itself).")
        String service;

        @Option(
                names = "--service-port",
                paramLabel = "PORT",
                defaultValue = "443",
                description = "The Service's port (default: ${DEFAULT-VALUE}).")
        int servicePort;

        @Option(
                names = "--url",
                paramLabel = "URL",
                description =
                        "Instead of --service: the webhook's https:// URL, ending in " + AdmissionServer.PATH + ".")
        String url;

        @Option(
                names = "--name",
                paramLabel = "NAME",
                defaultValue = "inlay-admission",
                description = "metadata.name of the configuration (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(
                names = "--exempt-namespace",
                paramLabel = "NAMESPACE",
                defaultValue = "kube-system",
                split = ",",
                description =
                        "Namespaces the API server does not send (repeatable; default: ${DEFAULT-VALUE}; naming any replaces it).")
        List<String> exemptNamespaces;

        @Option(
                names = "--timeout-seconds",
                paramLabel = "N",
                defaultValue = "10",
                description =
                        "How long the API server waits for an answer, 1-30 (default: ${DEFAULT-VALUE}); then failurePolicy Fail refuses.")
        int timeoutSeconds;

        @Option(
                names = {"-o", "--output"},
                paramLabel = "FILE",
                description = "Write to FILE instead of standard output.")
        Path output;

        @Override
        public Integer call() throws IOException {
            CommandLine cli = spec.commandLine();
            if ((service == null) == (url == null)) {
                throw new CommandLine.ParameterException(
                        cli, "say where the webhook is: --service NAMESPACE/NAME or --url https://...");
            }
            WebhookConfiguration.Target target;
            if (service != null) {
                String[] parts = service.split("/", -1);
                if (parts.length != 2 || !isDnsLabel(parts[0]) || !isDnsLabel(parts[1])) {
                    throw new CommandLine.ParameterException(
                            cli, "--service must be NAMESPACE/NAME (DNS labels), not '" + service + "'");
                }
                if (servicePort < 1 || servicePort > 65535) {
                    throw new CommandLine.ParameterException(cli, "--service-port must be 1-65535, not " + servicePort);
                }
                target = new WebhookConfiguration.ServiceTarget(parts[0], parts[1], servicePort);
            } else {
                URI uri;
                try {
                    uri = URI.create(url);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(cli, "--url is not a URL: '" + url + "'");
                }
                // The API server refuses anything else: https only, no user info, no fragment, no query.
                if (!"https".equals(uri.getScheme())
                        || uri.getHost() == null
                        || uri.getUserInfo() != null
                        || uri.getRawQuery() != null
                        || uri.getRawFragment() != null) {
                    throw new CommandLine.ParameterException(
                            cli,
                            "--url must be https://HOST[:PORT]/PATH without user, query or fragment, not '" + url
                                    + "'");
                }
                target = new WebhookConfiguration.UrlTarget(url);
            }
            if (timeoutSeconds < 1 || timeoutSeconds > 30) {
                throw new CommandLine.ParameterException(
                        cli, "--timeout-seconds must be 1-30 (the API server's range), not " + timeoutSeconds);
            }
            for (String ns : exemptNamespaces) {
                if (!isDnsLabel(ns))
                    throw new CommandLine.ParameterException(
                            cli, "--exempt-namespace: not a namespace name: '" + ns + "'");
            }
            InputFiles.requireFile(caFile);
            PemFiles.certificates(caFile); // a CA file without a certificate would make every call fail TLS
            byte[] ca = Files.readAllBytes(caFile);
            ObjectNode doc = WebhookConfiguration.of(
                    name,
                    "images.admission.inlay.dev",
                    target,
                    ca,
                    new LinkedHashSet<>(exemptNamespaces),
                    timeoutSeconds);
            String yaml = yaml().writeValueAsString(doc);
            if (output == null) {
                PrintWriter out = cli.getOut();
                out.print(yaml);
                out.flush();
            } else {
                OutputFiles.write(output, o -> o.write(yaml.getBytes(StandardCharsets.UTF_8)));
            }
            return ExitCode.OK.code();
        }
    }

    static YAMLMapper yaml() {
        return new YAMLMapper(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .build());
    }

    /** RFC 1123 label: what namespace and Service names are. */
    static boolean isDnsLabel(String s) {
        if (s.isEmpty() || s.length() > 63) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0 && i < s.length() - 1);
            if (!ok) return false;
        }
        return true;
    }
}
