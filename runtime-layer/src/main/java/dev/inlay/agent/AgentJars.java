package dev.inlay.agent;

import dev.inlay.model.LayerLayout;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;

/** Finds the agent jar premain came from, without asking the boot class loader when the JVM's options tell. */
final class AgentJars {
    private AgentJars() {}

    /**
     * The jar this package came from. Usually the boot class loader's (the manifest's {@code Boot-Class-Path} names
     * the jar itself, see {@code BootBridge}), which gives its classes no code source.
     */
    static File agentJar() throws URISyntaxException {
        if (AgentJars.class.getClassLoader() != null) {
            return new File(AgentJars.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        }
        File named = bootJarNamedInOptions();
        if (named != null) return named;
        // Asking the boot loader, which knows: it sets up a java.util.zip reader of its own for the jar, 8-20 ms.
        String self = String.valueOf(AgentJars.class.getResource("InlayAgent.class")); // jar:file:/...!/dev/...
        int separator = self.indexOf("!/");
        if (!self.startsWith("jar:") || separator < 0) throw new IllegalStateException("not in a jar: " + self);
        return new File(new URI(self.substring("jar:".length(), separator)));
    }

    /**
     * The {@code inlay-agent.jar} the boot class path got from a {@code Boot-Class-Path}: the one that exists next to a
     * Java agent's jar among the JVM's options, {@code -javaagent:} or {@code -agentlib:instrument=} (the JVM resolves
     * the manifest's relative path against the agent jar's canonical directory). Null unless that is exactly one file
     * and the options are all known.
     */
    static File bootJarNamedInOptions() {
        String[] options = JvmOptions.current();
        return options == null ? null : bootJarNamedIn(options);
    }

    static File bootJarNamedIn(String[] options) {
        File found = null;
        for (String option : options) {
            if (JvmOptions.opaque(option)) return null;
            String path = JvmOptions.javaAgentJar(option);
            if (path == null) continue;
            File candidate;
            try {
                candidate = new File(new File(path).getCanonicalFile().getParentFile(), LayerLayout.AGENT_JAR);
            } catch (IOException | RuntimeException e) {
                return null;
            }
            if (!candidate.isFile() || candidate.equals(found)) continue;
            if (found != null) return null;
            found = candidate;
        }
        return found;
    }
}
