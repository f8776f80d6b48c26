package dev.inlay.policy;

/**
 * A policy document that cannot be used, with where and why. {@link #getMessage()} is the whole message a person
 * reads: {@code file:line:column: problem (hint: ...)}.
 */
public final class PolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;
    private final String problem;
    private final String hint;

    public PolicyException(String source, int line, int column, String problem, String hint) {
        super(format(source, line, column, problem, hint), null, false, false);
        this.source = source;
        this.line = line;
        this.column = column;
        this.problem = problem;
        this.hint = hint;
    }

    private static String format(String source, int line, int column, String problem, String hint) {
        StringBuilder sb = new StringBuilder(source);
        if (line > 0) sb.append(':').append(line).append(':').append(column);
        sb.append(": ").append(problem);
        if (hint != null && !hint.isEmpty()) sb.append(" (hint: ").append(hint).append(')');
        return sb.toString();
    }

    public String source() {
        return source;
    }

    /** 1-based; 0 when the problem has no position (an unreadable file). */
    public int line() {
        return line;
    }

    /** 1-based; 0 when the problem has no position. */
    public int column() {
        return column;
    }

    public String problem() {
        return problem;
    }

    public String hint() {
        return hint;
    }
}
