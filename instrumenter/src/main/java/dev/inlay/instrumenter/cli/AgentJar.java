package dev.inlay.instrumenter.cli;

import java.io.IOException;
import java.io.InputStream;

/** The agent jar the build embeds in the CLI jar (instrumenter/pom.xml copies runtime-layer's artifact). */
final class AgentJar {
    static final String RESOURCE = "inlay/inlay-agent.jar";

    private AgentJar() {
    }

    static byte[] load() throws IOException {
        try (InputStream in = AgentJar.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("the CLI jar holds no " + RESOURCE + "; rebuild with mvn package");
            return in.readAllBytes();
        }
    }
}
