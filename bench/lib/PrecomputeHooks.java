import dev.inlay.model.HookPrecomputation;
import dev.inlay.model.JdkLinkList;
import dev.inlay.model.WrapTimeAgent;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What inlay wrap does for the JDKs of an image, for the benchmarks: the agent's hooked classes of each JDK home,
 * concatenated into the file that goes next to the agent jar (hooked-classes.bin), computed by the jar's own
 * HookPrecomputation as inlay wrap finds it; and the symbolic links under each home (jdk-links.bin, beside it).
 * Usage: java -cp model/target/inlay-model-VERSION.jar bench/lib/PrecomputeHooks.java AGENT.jar OUT.bin JAVA_HOME...
 */
public class PrecomputeHooks {
    public static void main(String[] args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream links = new ByteArrayOutputStream();
        try (WrapTimeAgent agent = WrapTimeAgent.open(Path.of(args[0]))) {
            HookPrecomputation precomputation = agent.hookPrecomputation();
            for (int i = 2; i < args.length; i++) {
                Path home = Path.of(args[i]).toRealPath();
                out.write(precomputation.hookedClasses(home.toString(), home));
                List<String> found = new ArrayList<>();
                try (Stream<Path> all = Files.walk(home)) {
                    // as inlay wrap lists them: not under the directories the agent never looks into (Roots.NOT_WALKED)
                    all.filter(Files::isSymbolicLink)
                            .map(p -> "/" + home.relativize(p))
                            .filter(p -> !p.matches("/(legal|jmods|include|man|demo|sample)/.*"))
                            .forEach(found::add);
                }
                links.write(JdkLinkList.section(home.toString(), Files.readAllBytes(home.resolve("release")), found));
            }
        }
        Path file = Path.of(args[1]);
        Files.write(file, out.toByteArray());
        Files.write(file.resolveSibling("jdk-links.bin"), links.toByteArray());
    }
}
