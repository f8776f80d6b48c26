/**
 * What inlay wrap --startup-archive does with the image's JVM, for the benchmarks: makes the archive with the JVM at
 * JAVA (a JDK 23+ bin/java) and the agent jar for the agent option FLAG (agentlib, what wrap writes for the benchmarks'
 * class-path launches, or javaagent), and writes it to OUT.
 * Usage: java -cp cli/target/inlay.jar bench/lib/MakeStartupArchive.java JAVA AGENT.jar OUT.jsa [FLAG]
 */
public class MakeStartupArchive {
    public static void main(String[] args) throws Exception {
        java.nio.file.Path work = java.nio.file.Files.createTempDirectory("inlay-bench-cds");
        byte[] archive = dev.inlay.instrumenter.wrap.StartupArchive.build(java.nio.file.Path.of(args[0]),
                java.nio.file.Files.readAllBytes(java.nio.file.Path.of(args[1])),
                dev.inlay.model.AgentFlag.fromWireName(args.length > 3 ? args[3] : "agentlib"), work);
        java.nio.file.Files.write(java.nio.file.Path.of(args[2]), archive);
        try (var paths = java.nio.file.Files.walk(work)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
