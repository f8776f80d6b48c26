package dev.inlay.profiler;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BoundedLinesTest {
    private static List<String> all(String text, int max) throws Exception {
        BoundedLines lines = new BoundedLines(new StringReader(text), "in.log", max);
        List<String> out = new ArrayList<>();
        for (String line = lines.next(); line != null; line = lines.next()) out.add(line + "@" + lines.number());
        return out;
    }

    @Test
    void endsLinesAsBufferedReaderDoes() throws Exception {
        assertEquals(List.of("a@1", "b@2", "@3", "c@4", "d@5"), all("a\nb\r\n\rc\rd", 10));
        assertEquals(List.of(), all("", 10));
        assertEquals(List.of("@1"), all("\n", 10));
        assertEquals(List.of("0123456789@1"), all("0123456789\n", 10));
    }

    @Test
    void aLineOverTheLimitNamesTheSourceAndLine() {
        ProfilerInputException e =
                assertThrows(ProfilerInputException.class, () -> all("ok\nok\n" + "y".repeat(200_000), 100_000));
        assertEquals(
                "in.log:3: a line longer than 100000 characters (profile lines are at most 8 KiB, a merged profile is"
                        + " one line of some 600 characters a behavior); check that this is the right input",
                e.getMessage());
    }
}
