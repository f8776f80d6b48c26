package dev.inlay.instrumenter.wrap;

import java.io.IOException;
import java.io.InputStream;

/** The agent jar the build embeds in this module's jar (instrumenter/pom.xml copies runtime-layer's artifact). */
public final class AgentJar {
    public static final String RESOURCE = "inlay/inlay-agent.jar";

    private AgentJar() {}

    public static byte[] load() throws IOException {
        try (InputStream in = AgentJar.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null)
                throw new IllegalStateException("the CLI jar holds no " + RESOURCE + "; rebuild with mvn package");
            return in.readAllBytes();
        }
    }
}
