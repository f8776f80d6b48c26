package dev.inlay.cli;

import dev.inlay.cli.common.CommandLines;
import dev.inlay.cli.common.ExitCode;
import dev.inlay.cli.deploy.AdmissionCommand;
import dev.inlay.cli.deploy.DeployCommand;
import dev.inlay.cli.image.CacheCommand;
import dev.inlay.cli.image.ImageScanCommand;
import dev.inlay.cli.image.InspectCommand;
import dev.inlay.cli.image.RegistryCommand;
import dev.inlay.cli.image.SbomCommand;
import dev.inlay.cli.image.UnwrapCommand;
import dev.inlay.cli.image.WrapCommand;
import dev.inlay.cli.profiler.EventsCommand;
import dev.inlay.cli.profiler.PolicyCommand;
import dev.inlay.cli.profiler.ProfileCommand;
import dev.inlay.cli.scan.DbCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code inlay} command: wrap images, merge profiles, generate and review policies, rewrite deployments, inventory and
 * scan images and registries, admit images at deploy time.
 */
@Command(
        name = "inlay",
        mixinStandardHelpOptions = true,
        versionProvider = InlayVersion.class,
        description = "Least privilege for every JVM container, learned automatically and enforced from inside.",
        exitCodeListHeading = "%nExit codes:%n")
public final class Inlay {
    /**
     * The subcommands in the order the help lists them. They are registered by name, not in {@code @Command}: picocli
     * builds a subcommand's model by reflecting over its fields and methods, which loads the classes they name (Jib,
     * Jackson, CycloneDX...), so a command line registers only the one subcommand it runs (docs/CLI.md "Start-up").
     */
    private static final String[] SUBCOMMANDS = {
        "wrap",
        "unwrap",
        "inspect",
        "sbom",
        "profile",
        "policy",
        "deploy",
        "admission",
        "events",
        "scan",
        "db",
        "registry",
        "cache",
        "completion",
        "help"
    };

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code; used by tests to run the CLI in-process. */
    public static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /** The configured command line with every subcommand: exit codes, error handling and help as docs/CLI.md describes. */
    public static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The command line that runs {@code args}: with only the subcommand {@code args} names when it names one that
     * needs no other (not {@code help} or {@code completion}, which describe them all), with none for {@code --version},
     * else with all of them (the top-level help, and the suggestions for a mistyped command, list them).
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cli = new CommandLine(new Inlay());
        String first = args.length == 0 ? "" : args[0];
        boolean versionOnly = args.length == 1 && (first.equals("--version") || first.equals("-V"));
        boolean oneCommand = !first.equals("help") && !first.equals("completion") && subcommand(first) != null;
        for (String name : versionOnly ? new String[0] : oneCommand ? new String[] {first} : SUBCOMMANDS) {
            cli.addSubcommand(name, subcommand(name));
        }
        // configured after the subcommands are added: picocli passes these settings down to the ones it has
        CommandLines.configure(cli);
        cli.getCommandSpec().usageMessage().exitCodeList(ExitCode.helpList());
        return cli;
    }

    /** The names of the subcommands, in the order the help lists them. */
    static String[] subcommandNames() {
        return SUBCOMMANDS.clone();
    }

    private static Class<?> subcommand(String name) {
        return switch (name) {
            case "wrap" -> WrapCommand.class;
            case "unwrap" -> UnwrapCommand.class;
            case "inspect" -> InspectCommand.class;
            case "sbom" -> SbomCommand.class;
            case "profile" -> ProfileCommand.class;
            case "policy" -> PolicyCommand.class;
            case "deploy" -> DeployCommand.class;
            case "admission" -> AdmissionCommand.class;
            case "events" -> EventsCommand.class;
            case "scan" -> ImageScanCommand.class;
            case "db" -> DbCommand.class;
            case "registry" -> RegistryCommand.class;
            case "cache" -> CacheCommand.class;
            case "completion" -> CompletionCommand.class;
            case "help" -> CommandLine.HelpCommand.class;
            default -> null;
        };
    }
}
