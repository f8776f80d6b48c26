package dev.inlay.cli.deploy;

import dev.inlay.deploy.DeployInputException;
import dev.inlay.deploy.DeploySettings;
import dev.inlay.deploy.ImageMapping;
import dev.inlay.policy.PolicyException;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The options every {@code inlay deploy PLATFORM} command takes. */
final class DeployOptions {
    @Parameters(index = "0", paramLabel = "DOCUMENT", description = "The deployment document to rewrite.")
    Path document;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Write the rewritten document here instead of standard output (may be DOCUMENT itself).")
    Path output;

    @Option(
            names = "--image-map",
            paramLabel = "ORIG=WRAPPED",
            description = "Replace image ORIG by WRAPPED (exact image references; repeatable).")
    List<String> imageMap = new ArrayList<>();

    @Option(
            names = "--image-map-file",
            paramLabel = "FILE",
            description = "Lines ORIG=WRAPPED; blank lines and # comments are skipped.")
    Path imageMapFile;

    @Option(
            names = "--suffix",
            paramLabel = "SUFFIX",
            description = "For images not in the map: the wrapped image is the same repository with SUFFIX appended "
                    + "to the tag (app:1.4 -> app:1.4-inlay with --suffix -inlay).")
    String suffix;

    @Option(names = "--mode", paramLabel = "MODE", description = "Set INLAY_MODE: learn, monitor or enforce.")
    String mode;

    @Option(
            names = "--sink",
            paramLabel = "SINK",
            description = "Set INLAY_SINK: stdout, stderr, file:/PATH or http://HOST:PORT/PATH.")
    String sink;

    @Option(
            names = "--policy",
            paramLabel = "PATH",
            description = "Set INLAY_POLICY: the policy's path inside the container (a mounted secret, say).")
    String policyPath;

    @Option(
            names = "--policy-b64-from",
            paramLabel = "FILE",
            description = "Validate the policy FILE and set INLAY_POLICY_B64 to its base64.")
    Path policyFile;

    @Option(names = "--profile-dir", paramLabel = "DIR", description = "Set INLAY_PROFILE_DIR.")
    String profileDir;

    @Option(
            names = "--shadow-policy",
            paramLabel = "PATH",
            description =
                    "Set INLAY_SHADOW_POLICY: a candidate policy's path inside the container, run beside the "
                            + "policy in force for 'inlay policy promote-check' (docs/DEPLOY.md, \"Promoting a policy safely\").")
    String shadowPolicyPath;

    @Option(
            names = "--startup",
            paramLabel = "enforce|monitor",
            description = "Set INLAY_STARTUP: monitor lets denials during start-up through, reported (docs/DEPLOY.md).")
    String startup;

    @Option(
            names = "--check",
            description = "Do not replace images: check that every container's image is a wrapped one (a right-hand "
                    + "side of the map, or a tag ending with the suffix, -inlay by default) and exit 1 listing the "
                    + "others; the document is written only when all are wrapped.")
    boolean check;

    @Option(
            names = "--json",
            description = "Print the report as one JSON object on standard output instead of the summary on standard "
                    + "error; without -o the rewritten document is its \"document\" member (docs/CLI.md).")
    boolean json;

    @Option(
            names = "--skip-container",
            paramLabel = "NAME",
            description = "Leave the container NAME exactly as it is, and out of --check (repeatable).")
    List<String> skipContainers = new ArrayList<>();

    /**
     * The settings these options describe. A bad option value (an {@code --image-map} that is not ORIG=WRAPPED, a
     * {@code --mode} that is no mode) is a bad command line, exit 2; what the files named by options hold (an image map
     * file, a policy) is input, exit 3.
     */
    DeploySettings.Builder settings(CommandLine commandLine) throws IOException, PolicyException {
        ImageMapping.Builder images = ImageMapping.builder();
        DeploySettings.Builder b = DeploySettings.builder().check(check);
        try {
            for (String pair : imageMap) images.pair(pair, "--image-map");
            images.suffix(suffix);
            b.mode(mode)
                    .policyPath(policyPath)
                    .sink(sink)
                    .profileDir(profileDir)
                    .shadowPolicyPath(shadowPolicyPath)
                    .startup(startup);
        } catch (DeployInputException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage(), e);
        }
        if (imageMapFile != null) images.file(imageMapFile);
        b.images(images.build()).policyFile(policyFile);
        for (String name : skipContainers) b.skipContainer(name);
        return b;
    }
}
