package dev.inlay.cli.scan;

import dev.inlay.scanner.gate.Gate;
import dev.inlay.scanner.gate.Ignore;
import dev.inlay.scanner.gate.IgnoreFile;
import dev.inlay.scanner.vuln.Severity;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * The gate's options, a picocli mixin shared by every command that gates on a scan ({@code inlay scan}; {@code inlay
 * wrap --scan} at its merge): {@code --fail-on}, {@code --ignore ID --reason TEXT [--until DATE]},
 * {@code --ignore-file}, {@code --deny-licence}.
 */
public final class GateOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--fail-on",
            paramLabel = "critical|high|medium|low",
            converter = ThresholdConverter.class,
            description = "Trip the gate (exit 1) on a finding of this severity or higher.")
    Severity failOn;

    @ArgGroup(exclusive = false, multiplicity = "0..*")
    List<IgnoreOption> ignores = new ArrayList<>();

    @Option(
            names = "--ignore-file",
            paramLabel = "FILE",
            description = "Ignores to apply: YAML or JSON entries with id, reason and optional until.")
    Path ignoreFile;

    @Option(
            names = "--deny-licence",
            paramLabel = "SPDX-ID",
            split = ",",
            arity = "1..*",
            description = "Trip the gate on a component under this licence (repeatable, or comma-separated).")
    List<String> deniedLicences = new ArrayList<>();

    /** {@code --ignore ID --reason TEXT [--until DATE]}: one accepted finding. */
    static final class IgnoreOption {
        @Option(
                names = "--ignore",
                required = true,
                paramLabel = "ID",
                description = "Accept this finding (any of its ids or aliases)...")
        String id;

        @Option(
                names = "--reason",
                required = true,
                paramLabel = "TEXT",
                description = "...for this reason (mandatory)...")
        String reason;

        @Option(
                names = "--until",
                paramLabel = "YYYY-MM-DD",
                converter = DateConverter.class,
                description = "...through this day; after it the ignore no longer applies.")
        LocalDate until;
    }

    static final class ThresholdConverter implements ITypeConverter<Severity> {
        @Override
        public Severity convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "critical" -> Severity.CRITICAL;
                case "high" -> Severity.HIGH;
                case "medium" -> Severity.MEDIUM;
                case "low" -> Severity.LOW;
                default ->
                    throw new TypeConversionException("'" + value + "' is not one of critical, high, medium, low");
            };
        }
    }

    static final class DateConverter implements ITypeConverter<LocalDate> {
        @Override
        public LocalDate convert(String value) {
            try {
                return LocalDate.parse(value);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not a date (YYYY-MM-DD)");
            }
        }
    }

    /** Whether the gate can trip at all: a threshold or a denied licence is given. */
    public boolean canTrip() {
        return failOn != null || !deniedLicences.isEmpty();
    }

    /** Whether any gate option is given (for a command where they need something else, such as wrap's --scan-db). */
    public boolean anyGiven() {
        return canTrip() || ignoreFile != null || !ignores.isEmpty();
    }

    /** The gate these options describe; reads the ignore file (exit 3 for a bad entry, 4 when unreadable). */
    public Gate gate(LocalDate today) throws IOException {
        List<Ignore> all = new ArrayList<>();
        if (ignoreFile != null) all.addAll(IgnoreFile.read(ignoreFile));
        for (IgnoreOption i : ignores) {
            // Typed on the command line: a usage error (2), where the same in the ignore file is bad input (3).
            if (i.id.isBlank() || i.reason.isBlank()) {
                throw new ParameterException(
                        spec.commandLine(), "--ignore '" + i.id + "' needs an id and a --reason that are not empty");
            }
            all.add(new Ignore(i.id, i.reason, i.until, "--ignore " + i.id));
        }
        return new Gate(failOn, all, new LinkedHashSet<>(deniedLicences), today);
    }
}
