package dev.inlay.profiler.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** What generation tells besides the rules: the header's notes, warnings for the person running it, summaries. */
final class Notes {
    /** Lines for the policy's header, in the order the steps wrote them. */
    final List<String> header = new ArrayList<>();
    /** For stderr and the header: names kept literal because they hold pattern characters, rules kept out. */
    final List<String> warnings = new ArrayList<>();
    /** File patterns that came from the agent's directory summaries. */
    final TreeSet<String> summaries = new TreeSet<>();
}
