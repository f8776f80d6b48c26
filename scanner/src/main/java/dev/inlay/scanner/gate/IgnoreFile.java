package dev.inlay.scanner.gate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The reviewable ignore file: YAML or JSON (JSON is YAML), either a list of entries or {@code {ignores: [...]}}, each
 * entry {@code {id: CVE-..., reason: "...", until: 2027-03-31}} with {@code until} optional. An entry without an id or
 * a reason, an unknown key, or a date that is not {@code YYYY-MM-DD} is bad input (exit 3).
 */
public final class IgnoreFile {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> KEYS = Set.of("id", "reason", "until");

    private IgnoreFile() {}

    public static List<Ignore> read(Path file) throws IOException {
        if (Files.isDirectory(file)) throw new FileSystemException(file.toString(), null, "a directory, not a file");
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString());
        JsonNode root;
        try {
            root = YAML.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new GateInputException(file + ": not valid YAML or JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) return List.of();
        JsonNode list = root;
        if (root.isObject()) {
            list = root.get("ignores");
            if (list == null || root.size() != 1) {
                throw new GateInputException(file + ": expected a list of ignores or an object with only 'ignores'");
            }
        }
        if (!list.isArray()) throw new GateInputException(file + ": 'ignores' is not a list");
        List<Ignore> out = new ArrayList<>();
        int n = 0;
        for (JsonNode e : list) {
            n++;
            String where = file + " entry " + n;
            if (!e.isObject()) throw new GateInputException(where + ": not an object with id and reason");
            for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!KEYS.contains(k))
                    throw new GateInputException(where + ": unknown key '" + k + "' (id, reason, until)");
            }
            out.add(new Ignore(
                    text(e, "id", where), text(e, "reason", where), date(text(e, "until", where), where), where));
        }
        return out;
    }

    private static String text(JsonNode e, String key, String where) {
        JsonNode v = e.get(key);
        if (v == null || v.isNull()) return null;
        if (!v.isValueNode()) throw new GateInputException(where + ": '" + key + "' is not a plain value");
        return v.asText();
    }

    /** {@code YYYY-MM-DD}, or bad input naming where it was written. */
    public static LocalDate date(String text, String where) {
        if (text == null) return null;
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new GateInputException(where + ": '" + text + "' is not a date (YYYY-MM-DD)", e);
        }
    }
}
