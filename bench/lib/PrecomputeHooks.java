import dev.inlay.model.HookPrecomputation;
import dev.inlay.model.WrapTimeAgent;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What inlay wrap does for the JDKs of an image, for the benchmarks: the agent's hooked classes of each JDK home,
 * concatenated into the file that goes next to the agent jar (hooked-classes.bin), computed by the jar's own
 * HookPrecomputation as inlay wrap finds it.
 * Usage: java -cp model/target/inlay-model-VERSION.jar bench/lib/PrecomputeHooks.java AGENT.jar OUT.bin JAVA_HOME...
 */
public class PrecomputeHooks {
    public static void main(String[] args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (WrapTimeAgent agent = WrapTimeAgent.open(Path.of(args[0]))) {
            HookPrecomputation precomputation = agent.hookPrecomputation();
            for (int i = 2; i < args.length; i++) {
                Path home = Path.of(args[i]).toRealPath();
                out.write(precomputation.hookedClasses(home.toString(), home));
            }
        }
        Files.write(Path.of(args[1]), out.toByteArray());
    }
}
