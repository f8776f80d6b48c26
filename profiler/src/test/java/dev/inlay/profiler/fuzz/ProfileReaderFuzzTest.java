package dev.inlay.profiler.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.inlay.policy.PolicyException;
import dev.inlay.policy.PolicyParser;
import dev.inlay.profiler.generate.PolicyGenerator;
import dev.inlay.profiler.profile.MergedProfile;
import dev.inlay.profiler.profile.ProfileReader;

import java.io.IOException;
import java.io.StringReader;

/**
 * Hostile input for the profile reader: captured container output is attacker-influenced (an application can print
 * anything, including fake inlay lines). Any text is read without an exception, and whatever it yields generates a
 * policy that parses back. Runs its saved inputs in every build; scripts/fuzz.sh fuzzes for a bounded time.
 */
class ProfileReaderFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void readAndGenerate(FuzzedDataProvider data) throws IOException {
        MergedProfile merged = new MergedProfile();
        ProfileReader.read(new StringReader(data.consumeRemainingAsString()), merged);
        if (merged.isEmpty()) return;
        String yaml = PolicyGenerator.generate(merged, PolicyGenerator.Options.defaults()).toYaml();
        try {
            PolicyParser.parse(yaml, "generated.yaml");
        } catch (PolicyException e) {
            throw new AssertionError("generated policy does not parse: " + e.getMessage() + "\n" + yaml, e);
        }
    }
}
