package dev.inlay.profiler.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.inlay.policy.Policy;
import dev.inlay.policy.PolicyException;
import dev.inlay.policy.PolicyParser;
import dev.inlay.profiler.generate.PolicyGenerator;
import dev.inlay.profiler.profile.MergedProfile;
import dev.inlay.profiler.profile.ProfileReader;
import dev.inlay.profiler.review.PolicyLinter;

import java.io.IOException;
import java.io.StringReader;

/**
 * Hostile input for the profile reader: captured container output is attacker-influenced (an application can print
 * anything, including fake inlay lines). Any text is read without an exception, and whatever it yields generates a
 * policy that parses back and that lint finds nothing broad or secret in. Runs its saved inputs in every build; scripts/fuzz.sh fuzzes for a bounded time.
 */
class ProfileReaderFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void readAndGenerate(FuzzedDataProvider data) throws IOException {
        MergedProfile merged = new MergedProfile();
        ProfileReader.read(new StringReader(data.consumeRemainingAsString()), merged);
        if (merged.isEmpty()) return;
        String yaml = PolicyGenerator.generate(merged, PolicyGenerator.Options.defaults())
                .toYaml();
        Policy policy;
        try {
            policy = PolicyParser.parse(yaml, "generated.yaml");
        } catch (PolicyException e) {
            throw new AssertionError("generated policy does not parse: " + e.getMessage() + "\n" + yaml, e);
        }
        // whatever the profile says, nothing generated is what lint calls broad or secret (issue 17)
        for (PolicyLinter.Finding f : PolicyLinter.lint(policy)) {
            if (f.kind() == PolicyLinter.Kind.BROAD || f.kind() == PolicyLinter.Kind.SECRET) {
                throw new AssertionError("generated " + f.describe() + "\n" + yaml);
            }
        }
    }
}
