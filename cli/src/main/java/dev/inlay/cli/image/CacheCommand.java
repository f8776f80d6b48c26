package dev.inlay.cli.image;

import dev.inlay.cli.InputException;
import dev.inlay.cli.common.OutputFiles;
import dev.inlay.scanner.cache.LayerFactCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code inlay cache}: what the layer cache holds, and clearing, exporting and importing it. */
@Command(
        name = "cache",
        mixinStandardHelpOptions = true,
        description = {
            "The layer cache: what wrap, sbom and scan learned from each layer, by layer digest (docs/WRAPPING.md).",
        },
        subcommands = {
            CacheCommand.Info.class,
            CacheCommand.Clear.class,
            CacheCommand.Export.class,
            CacheCommand.Import.class
        })
public final class CacheCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand: info, clear, export or import");
    }

    /** What every cache subcommand has: the cache's options, and the cache they locate. */
    abstract static class Subcommand implements Callable<Integer> {
        @Mixin
        LayerCacheOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public final Integer call() throws IOException {
            return call(options.located());
        }

        /** Runs on the located cache (also with {@code --no-cache}: these commands manage it); the exit code. */
        abstract int call(LayerFactCache cache) throws IOException;
    }

    @Command(
            name = "info",
            mixinStandardHelpOptions = true,
            description = "Where the cache is, its size and maximum size, and how many entries it holds.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:shown", "2:bad command line", "3:bad size"})
    static final class Info extends Subcommand {
        @Override
        int call(LayerFactCache cache) {
            LayerFactCache.Info info = cache.info();
            PrintWriter out = spec.commandLine().getOut();
            out.println("location: " + info.directory().toAbsolutePath());
            out.println("size: " + info.bytes() + " bytes (maximum " + info.maxBytes() + ")");
            out.println("entries: " + info.entries());
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "clear",
            mixinStandardHelpOptions = true,
            description = "Deletes every entry of the cache (of every inlay build).",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:cleared", "2:bad command line", "4:file failure"})
    static final class Clear extends Subcommand {
        @Override
        int call(LayerFactCache cache) throws IOException {
            int n = cache.clear();
            spec.commandLine().getErr().println("inlay: removed " + n + " entries from " + cache.directory());
            return 0;
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = {
                "Writes every entry that verifies to a tar FILE ('-' for standard output), for `inlay cache import` on "
                        + "another machine (a CI fleet sharing what it learned)."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:exported", "2:bad command line", "4:file failure"})
    static final class Export extends Subcommand {
        @Parameters(index = "0", paramLabel = "FILE", description = "The tar to write, or - for standard output.")
        String file;

        @Override
        int call(LayerFactCache cache) throws IOException {
            int[] n = {0};
            if (file.equals("-")) {
                n[0] = cache.exportTo(System.out);
                System.out.flush();
            } else {
                OutputFiles.write(Path.of(file), out -> n[0] = cache.exportTo(out));
            }
            spec.commandLine().getErr().println("inlay: exported " + n[0] + " entries from " + cache.directory());
            return 0;
        }
    }

    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description = {
                "Adds the entries of a tar written by `inlay cache export` ('-' for standard input). Each entry is "
                        + "verified (its checksum, and that it is stored under the key it names) and a bad one is "
                        + "refused; importing trusts whoever made the tar as much as the images they wrapped."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:imported",
                "2:bad command line",
                "3:not a tar of cache entries, or some entries refused",
                "4:file failure"
            })
    static final class Import extends Subcommand {
        @Parameters(index = "0", paramLabel = "FILE", description = "The tar to read, or - for standard input.")
        String file;

        @Override
        int call(LayerFactCache cache) throws IOException {
            LayerFactCache.Imported result;
            try (InputStream in = file.equals("-") ? System.in : open(Path.of(file))) {
                result = cache.importFrom(in);
            } catch (NoSuchFileException e) {
                throw e;
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("not a tar of inlay cache entries"))
                    throw new InputException(file + ": " + e.getMessage());
                throw e;
            }
            PrintWriter err = spec.commandLine().getErr();
            for (String problem : result.problems()) err.println("inlay: refused " + problem);
            err.println("inlay: imported " + result.entries() + " entries into " + cache.directory()
                    + (result.refused() > 0 ? ", refused " + result.refused() : ""));
            if (result.refused() > 0)
                throw new InputException(result.refused() + " entries of " + file + " were refused (see above)");
            return 0;
        }

        private static InputStream open(Path path) throws IOException {
            if (Files.isDirectory(path)) throw new InputException(path + " is a directory, not a tar");
            return Files.newInputStream(path);
        }
    }
}
