package dev.inlay.instrumenter.cli;

import dev.inlay.cli.InputException;
import dev.inlay.instrumenter.image.Image;
import dev.inlay.instrumenter.image.ImageArtifact;
import dev.inlay.instrumenter.image.ImageIndex;
import dev.inlay.instrumenter.transport.ImageLocation;
import dev.inlay.instrumenter.transport.ImageStores;
import dev.inlay.instrumenter.transport.Progress;
import dev.inlay.instrumenter.wrap.ImageFilesystem;
import dev.inlay.instrumenter.wrap.LaunchAnalysis;
import dev.inlay.instrumenter.wrap.Wrapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show whether an image is wrapped (mode, policy digest), the JVMs in it (bin/java and the",
                "version from the JDK release file), how its entrypoint and cmd start Java, and WARNINGs where",
                "JAVA_TOOL_OPTIONS will not reach the JVM. Reads every layer."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:inspected", "2:bad command line", "3:bad input (no JVM without --force, corrupt or hostile image)",
                "4:file or registry failure"})
public final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IMAGE", description = "registry://..., HOST/REPO:TAG, docker-archive:PATH, oci:DIR[:REF], oci-archive:PATH[:REF].")
    String image;

    @Option(names = "--force", description = "Report an image without a JVM instead of refusing it.")
    boolean force;

    @Mixin
    RegistryOptions registry;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (ImageStores stores = new ImageStores(registry.access(), Progress.forTerminal(registry.quiet))) {
            ImageArtifact artifact = stores.read(ImageLocation.parse(image), registry.platform);
            List<Image> images = new ArrayList<>();
            if (artifact instanceof Image i) images.add(i);
            else for (ImageIndex.Entry e : ((ImageIndex) artifact).entries()) if (e.image() != null) images.add(e.image());
            StringBuilder report = new StringBuilder();
            report.append("image: ").append(image).append('\n');
            report.append("digest: ").append(artifact.digest()).append(" (").append(artifact.mediaType()).append(")\n");
            for (Image i : images) report(i, report);
            out.print(report);
            out.flush();
        }
        return 0;
    }

    private void report(Image i, StringBuilder r) throws IOException {
        ImageFilesystem fs = ImageFilesystem.scan(i.layers());
        List<ImageFilesystem.Jvm> jvms = fs.jvms();
        if (jvms.isEmpty() && !force) {
            throw new InputException(image + " (" + i.platform() + "): no JVM found (no bin/java in any layer); use --force to inspect it anyway");
        }
        r.append("\nplatform: ").append(i.platform()).append('\n');
        if (Wrapper.isWrapped(i)) {
            r.append("wrapped: yes (inlay ").append(i.label(Wrapper.LABEL_VERSION)).append(", mode ").append(i.label(Wrapper.LABEL_MODE)).append(")\n");
            String policy = i.label(Wrapper.LABEL_POLICY_DIGEST);
            r.append("policy: ").append(policy == null ? "none" : policy).append('\n');
            r.append("original config: ").append(i.label(Wrapper.LABEL_ORIGINAL_DIGEST)).append('\n');
        } else {
            r.append("wrapped: no\n");
        }
        r.append("jvms:").append(jvms.isEmpty() ? " none\n" : "\n");
        for (ImageFilesystem.Jvm j : jvms) r.append("  ").append(j.javaPath()).append("  ").append(j.version()).append('\n');
        LaunchAnalysis launch = LaunchAnalysis.analyze(i, fs);
        r.append("command: ").append(launch.argv()).append('\n');
        r.append("starts java: ").append(launch.launch()).append('\n');
        for (String w : launch.warnings()) r.append("WARNING: ").append(w).append('\n');
        r.append("executables: ").append(fs.executableCount()).append('\n');
    }
}
