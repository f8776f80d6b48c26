import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What inlay wrap does for the JDKs of an image, for the benchmarks: the agent's hooked classes of each JDK home,
 * concatenated into the file that goes next to the agent jar (hooked-classes.bin).
 * Usage: java bench/lib/PrecomputeHooks.java AGENT.jar OUT.bin JAVA_HOME...
 */
public class PrecomputeHooks {
    public static void main(String[] args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (URLClassLoader agent = new URLClassLoader(new URL[] {Path.of(args[0]).toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Method hookedClasses = agent.loadClass("dev.inlay.agent.InlayAgent").getMethod("hookedClasses",
                    String.class, Path.class);
            for (int i = 2; i < args.length; i++) {
                Path home = Path.of(args[i]).toRealPath();
                out.write((byte[]) hookedClasses.invoke(null, home.toString(), home));
            }
        }
        Files.write(Path.of(args[1]), out.toByteArray());
    }
}
