package dev.inlay.policy;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-rolled character classes accept exactly what the regular expressions they replace accept. */
class PatternsTest {
    /** Characters at and around every class boundary, a few non-ASCII letters and numbers, and a surrogate pair. */
    private static final String[] ALPHABET = {
        "a",
        "z",
        "A",
        "Z",
        "0",
        "9",
        "_",
        "-",
        "+",
        ".",
        "$",
        "*",
        "/",
        " ",
        "`",
        "{",
        "@",
        "[",
        "é",
        "ß",
        "Ж",
        "中",
        "٣",
        "Ⅻ",
        "½",
        "\u0301",
        "\uD835\uDC00",
        "\uD800",
        "\0"
    };

    @Test
    void schemesAsTheRegex() {
        same("[a-z][a-z0-9+.-]*", Patterns::isScheme);
    }

    @Test
    void hostLabelsAsTheRegex() {
        same("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?", Patterns::isHostLabel);
        assertEquals(true, Patterns.isHostLabel("a".repeat(63)));
        assertEquals(false, Patterns.isHostLabel("a".repeat(64)));
    }

    @Test
    void javaSegmentsAsTheRegex() {
        same("[\\p{L}\\p{N}_$*]+", Patterns::isJavaSegment);
    }

    @Test
    void ruleIdsAsTheRegex() {
        same("[A-Za-z0-9][A-Za-z0-9._-]{0,99}", RuleIds::isValid);
        assertEquals(true, RuleIds.isValid("a".repeat(100)));
        assertEquals(false, RuleIds.isValid("a".repeat(101)));
    }

    private static void same(String regex, Predicate<String> loop) {
        Pattern pattern = Pattern.compile(regex);
        Random random = new Random(regex.hashCode());
        int accepted = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(6);
            for (int k = 0; k < length; k++) sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
            String s = sb.toString();
            boolean expected = pattern.matcher(s).matches();
            assertEquals(expected, loop.test(s), () -> regex + " on '" + s + "'");
            if (expected) accepted++;
        }
        // Both outcomes are exercised, or the comparison proves little.
        assertEquals(true, accepted > 1000 && accepted < 199_000, regex + " accepted " + accepted);
    }
}
