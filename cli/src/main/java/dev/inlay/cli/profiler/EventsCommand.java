package dev.inlay.cli.profiler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlay.model.Event;
import dev.inlay.profiler.events.EventFormats;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code inlay events --format ocsf|falco}: the agent's event lines in the shape a SIEM ingests. */
@Command(
        name = "events",
        mixinStandardHelpOptions = true,
        description = {
            "Convert the agent's events (docs/EVENTS.md) to OCSF 1.1 or Falco alerts, one JSON object a line.",
            "Inputs are captured agent output (event files, kubectl logs, CloudWatch exports; text before a line's "
                    + "{ is ignored) or - for standard input (the default). Lines that are not events are skipped."
        })
public final class EventsCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String MARKER = "{\"" + Event.INLAY + "\"";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--format",
            required = true,
            paramLabel = "ocsf|falco",
            description = "ocsf: OCSF 1.1 File System (1001), Process (1007), Network (4001), DNS (4003) Activity;"
                    + " falco: Falco's rule, priority, output, output_fields")
    String format;

    @Parameters(arity = "0..*", paramLabel = "INPUT", description = "files or - (default: standard input)")
    List<String> inputs;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "OUT",
            description = "write here instead of standard output")
    Path output;

    private long events;
    private long malformed;

    @Override
    public Integer call() throws IOException {
        EventFormats.Format f;
        try {
            f = EventFormats.Format.of(format);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format: " + e.getMessage());
        }
        List<String> sources = inputs == null || inputs.isEmpty() ? List.of("-") : inputs;
        for (String input : sources) {
            if (!input.equals("-") && !Files.isRegularFile(Path.of(input))) {
                throw new java.nio.file.NoSuchFileException(input, null, "no such file");
            }
        }
        Outputs.write(output, spec.commandLine().getOut(), out -> {
            for (String input : sources) {
                Reader reader = input.equals("-")
                        ? new InputStreamReader(System.in, StandardCharsets.UTF_8)
                        : Files.newBufferedReader(Path.of(input), StandardCharsets.UTF_8);
                try (BufferedReader lines = new BufferedReader(reader, 1 << 16)) {
                    convert(lines, f, out);
                }
            }
        });
        spec.commandLine()
                .getErr()
                .println("inlay: converted " + events + " events"
                        + (malformed > 0 ? "; skipped " + malformed + " malformed lines" : ""));
        return 0;
    }

    private void convert(BufferedReader lines, EventFormats.Format f, OutputStream out) throws IOException {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            int start = line.indexOf(MARKER);
            if (start < 0) continue;
            JsonNode node;
            try {
                node = MAPPER.readTree(line.substring(start));
            } catch (JsonProcessingException e) {
                malformed++;
                continue;
            }
            if (!node.path(Event.INLAY).asText().equals(Event.KIND)) continue;
            try {
                out.write(MAPPER.writeValueAsBytes(EventFormats.convert(node, f)));
            } catch (IllegalArgumentException e) { // a time that is not an instant
                malformed++;
                continue;
            }
            out.write('\n');
            events++;
        }
    }
}
