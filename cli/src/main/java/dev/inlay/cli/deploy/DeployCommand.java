package dev.inlay.cli.deploy;

import dev.inlay.cli.common.ExitCode;
import dev.inlay.cli.common.InputFiles;
import dev.inlay.cli.common.JsonOutput;
import dev.inlay.cli.common.OutputFiles;
import dev.inlay.deploy.AciContainerGroup;
import dev.inlay.deploy.CloudRunService;
import dev.inlay.deploy.ContainerReport;
import dev.inlay.deploy.DeployInputException;
import dev.inlay.deploy.DeploySettings;
import dev.inlay.deploy.FargateTaskDefinition;
import dev.inlay.deploy.KubernetesManifest;
import dev.inlay.deploy.Rewritten;
import dev.inlay.policy.PolicyException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code inlay deploy PLATFORM DOCUMENT}: rewrites a deployment document so that it runs wrapped images with the
 * agent configured, and changes nothing else. The document goes to standard output (or {@code -o}); a summary of
 * what changed goes to standard error.
 */
@Command(
        name = "deploy",
        mixinStandardHelpOptions = true,
        description = "Rewrite a deployment document to run wrapped images with the agent configured.",
        subcommands = {
            DeployCommand.Fargate.class,
            DeployCommand.Kubernetes.class,
            DeployCommand.Aci.class,
            DeployCommand.CloudRun.class,
        })
public final class DeployCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "name the platform: inlay deploy fargate|k8s|aci|cloudrun DOCUMENT");
    }

    /** What the four platform commands share: read, rewrite, report, gate, write. */
    /** A deployment document larger than this is refused before it is read (a large Kubernetes list is a few MB). */
    static final long MAX_DOCUMENT_BYTES = 64L * 1024 * 1024;

    abstract static class PlatformCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DeployOptions options;

        abstract Rewritten rewrite(String text, String source, DeploySettings settings);

        /** What a platform adds to the shared options. */
        DeploySettings.Builder extend(DeploySettings.Builder settings) throws IOException, PolicyException {
            return settings;
        }

        @Override
        public Integer call() throws IOException, PolicyException {
            DeploySettings settings =
                    extend(options.settings(spec.commandLine())).build();
            if (!settings.check() && settings.images().isEmpty()) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "say which images are wrapped: --image-map, --image-map-file or --suffix (or use --check)");
            }
            InputFiles.requireFile(options.document); // missing or a directory: exit 4 with the path
            long size = Files.size(options.document);
            if (size > MAX_DOCUMENT_BYTES) { // refused by its size before it is read
                throw new DeployInputException(options.document + ": " + size + " bytes, more than the limit of "
                        + MAX_DOCUMENT_BYTES + " (64 MiB) for a deployment document");
            }
            String text = Files.readString(options.document, StandardCharsets.UTF_8);
            Rewritten result = rewrite(text, options.document.toString(), settings);
            PrintWriter err = spec.commandLine().getErr();
            var notWrapped = result.report().notWrapped();
            if (options.json) {
                if (notWrapped.isEmpty() && options.output != null) write(result.text());
                JsonOutput.print(
                        spec.commandLine().getOut(),
                        result.report().toJson(notWrapped.isEmpty() && options.output == null ? result.text() : null));
                return notWrapped.isEmpty() ? ExitCode.OK.code() : ExitCode.FINDINGS.code();
            }
            err.print(result.report().summary());
            if (!notWrapped.isEmpty()) {
                StringBuilder sb = new StringBuilder("inlay: check failed: ")
                        .append(notWrapped.size())
                        .append(notWrapped.size() == 1 ? " container does" : " containers do")
                        .append(" not run a wrapped image:");
                for (ContainerReport c : notWrapped)
                    sb.append("\n  ").append(c.where()).append(": ").append(c.imageBefore());
                err.println(sb);
                err.flush();
                return ExitCode.FINDINGS.code();
            }
            err.flush();
            write(result.text());
            return ExitCode.OK.code();
        }

        private void write(String text) throws IOException {
            if (options.output == null) {
                PrintWriter out = spec.commandLine().getOut();
                out.print(text);
                out.flush();
                return;
            }
            OutputFiles.write(options.output, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Command(
            name = "fargate",
            aliases = "ecs",
            mixinStandardHelpOptions = true,
            description =
                    "Rewrite an ECS task definition (register-task-definition input, or describe-task-definition output).")
    static final class Fargate extends PlatformCommand {
        @Override
        Rewritten rewrite(String text, String source, DeploySettings settings) {
            return FargateTaskDefinition.rewrite(text, source, settings);
        }
    }

    @Command(
            name = "k8s",
            aliases = "kubernetes",
            mixinStandardHelpOptions = true,
            description =
                    "Rewrite the workloads of a Kubernetes manifest (multi-document YAML); other objects pass through.")
    static final class Kubernetes extends PlatformCommand {
        @Option(
                names = "--policy-configmap",
                paramLabel = "FILE",
                description = "Validate the policy FILE and deliver it as a ConfigMap mounted at /etc/inlay in every "
                        + "wrapped container, with INLAY_POLICY=/etc/inlay/policy.yaml (the agent reloads it when the "
                        + "ConfigMap changes); the ConfigMap is added to the output, one per namespace.")
        Path policyConfigMap;

        @Option(
                names = "--policy-configmap-name",
                paramLabel = "NAME",
                defaultValue = "inlay-policy",
                description = "The ConfigMap's name (default: ${DEFAULT-VALUE}).")
        String policyConfigMapName;

        @Override
        DeploySettings.Builder extend(DeploySettings.Builder settings) throws IOException, PolicyException {
            if (policyConfigMap == null) return settings;
            if (options.policyFile != null || options.policyPath != null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--policy-configmap delivers the policy itself: leave out --policy and --policy-b64-from");
            }
            try {
                return settings.policyConfigMap(policyConfigMap, policyConfigMapName);
            } catch (DeployInputException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
            }
        }

        @Override
        Rewritten rewrite(String text, String source, DeploySettings settings) {
            return KubernetesManifest.rewrite(text, source, settings);
        }
    }

    @Command(
            name = "aci",
            mixinStandardHelpOptions = true,
            description = "Rewrite an Azure Container Instances container group (YAML, or JSON / ARM template).")
    static final class Aci extends PlatformCommand {
        @Override
        Rewritten rewrite(String text, String source, DeploySettings settings) {
            return AciContainerGroup.rewrite(text, source, settings);
        }
    }

    @Command(
            name = "cloudrun",
            mixinStandardHelpOptions = true,
            description = "Rewrite a Cloud Run service (Knative Service YAML, as gcloud run services replace takes).")
    static final class CloudRun extends PlatformCommand {
        @Override
        Rewritten rewrite(String text, String source, DeploySettings settings) {
            return CloudRunService.rewrite(text, source, settings);
        }
    }
}
