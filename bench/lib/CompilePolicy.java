/**
 * What inlay wrap does with a policy, for the benchmarks: writes its compiled twin (policy.bin) next to it.
 * Usage: java -cp instrumenter/target/inlay.jar bench/lib/CompilePolicy.java POLICY.yaml POLICY.bin
 */
public class CompilePolicy {
    public static void main(String[] args) throws Exception {
        java.nio.file.Files.write(java.nio.file.Path.of(args[1]), dev.inlay.policy.CompiledPolicy.write(
                dev.inlay.policy.PolicyParser.parse(java.nio.file.Path.of(args[0]))));
    }
}
