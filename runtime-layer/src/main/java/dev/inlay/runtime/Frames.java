package dev.inlay.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The calling code of a hooked operation: the first application frame and a short stack summary. */
final class Frames {
    static final int STACK_FRAMES = 8;
    private static final StackWalker WALKER = StackWalker.getInstance();

    record Summary(String frame, List<String> stack) {
    }

    private Frames() {
    }

    static Summary capture() {
        List<StackWalker.StackFrame> frames = WALKER.walk(s -> s
                .dropWhile(f -> isAgent(f.getClassName()))
                .limit(64)
                .collect(Collectors.toList()));
        String app = null;
        int appIndex = 0;
        for (int i = 0; i < frames.size(); i++) {
            if (!isPlatform(frames.get(i).getClassName())) {
                app = format(frames.get(i));
                appIndex = i;
                break;
            }
        }
        // The summary ends a few frames past the application frame: the hooked JDK method, then who called it.
        int from = Math.max(0, appIndex - 2);
        List<String> stack = new ArrayList<>(STACK_FRAMES);
        for (int i = from; i < frames.size() && stack.size() < STACK_FRAMES; i++) stack.add(format(frames.get(i)));
        return new Summary(app, stack);
    }

    /** The agent's own packages (not all of dev.inlay: the examples and probes are applications). */
    private static boolean isAgent(String className) {
        return className.startsWith("dev.inlay.bootstrap.") || className.startsWith("dev.inlay.runtime.")
                || className.startsWith("dev.inlay.agent.") || className.startsWith("dev.inlay.shaded.");
    }

    static boolean isPlatform(String className) {
        return className.startsWith("java.") || className.startsWith("javax.naming.") || className.startsWith("jdk.")
                || className.startsWith("sun.") || className.startsWith("com.sun.") || isAgent(className);
    }

    private static String format(StackWalker.StackFrame f) {
        int line = f.getLineNumber();
        return f.getClassName() + "." + f.getMethodName() + (line > 0 ? ":" + line : "");
    }
}
