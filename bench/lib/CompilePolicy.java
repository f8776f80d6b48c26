/**
 * What inlay wrap does with a policy, for the benchmarks: prints it compiled, in base64, as inlay.properties holds it.
 * Usage: java -cp cli/target/inlay.jar bench/lib/CompilePolicy.java POLICY.yaml
 */
public class CompilePolicy {
    public static void main(String[] args) throws Exception {
        System.out.println(java.util.Base64.getEncoder().encodeToString(dev.inlay.policy.CompiledPolicy.write(
                dev.inlay.policy.PolicyParser.parse(java.nio.file.Path.of(args[0])))));
    }
}
