package dev.inlay.profiler;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines as {@link java.io.BufferedReader#readLine} does ({@code \n}, {@code \r} or {@code \r\n} end one), but
 * refuses a line longer than a limit instead of holding all of it: one 200 MB line in a captured log must be a clear
 * error naming the file and line, not an {@link OutOfMemoryError}. Memory is bounded by the limit.
 */
public final class BoundedLines {
    /**
     * The longest line the profiler reads: a merged profile document is one line (some 600 characters a behavior,
     * so about 100,000 behaviors), hits lines name every rule once.
     */
    public static final int MAX_LINE_CHARS = 64 * 1024 * 1024;

    private final Reader in;
    private final String source;
    private final int max;
    private final char[] buffer = new char[1 << 16];
    private final StringBuilder line = new StringBuilder();
    private int position;
    private int limit;
    private boolean skipNewline;
    private long number;

    public BoundedLines(Reader in, String source) {
        this(in, source, MAX_LINE_CHARS);
    }

    public BoundedLines(Reader in, String source, int max) {
        this.in = in;
        this.source = source;
        this.max = max;
    }

    /** The number of the line last returned (1 for the first). */
    public long number() {
        return number;
    }

    /**
     * The next line without its terminator, or null at the end.
     *
     * @throws ProfilerInputException when the line is longer than the limit
     */
    public String next() throws IOException {
        line.setLength(0);
        boolean any = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (!any) return null;
                    number++;
                    return line.toString();
                }
            }
            if (skipNewline) {
                skipNewline = false;
                if (buffer[position] == '\n') {
                    position++;
                    continue;
                }
            }
            any = true;
            int start = position;
            while (position < limit && buffer[position] != '\n' && buffer[position] != '\r') position++;
            if (line.length() + (position - start) > max) {
                throw new ProfilerInputException(source + ":" + (number + 1) + ": a line longer than " + max
                        + " characters (profile lines are at most 8 KiB, a merged profile is one line of"
                        + " some 600 characters a behavior); check that this is the right input");
            }
            line.append(buffer, start, position - start);
            if (position < limit) {
                skipNewline = buffer[position] == '\r';
                position++;
                number++;
                return line.toString();
            }
        }
    }
}
