package dev.inlay.profiler.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The readable part of a rule id, from what the rule allows: the last segments of a path, class or command. */
final class Slugs {
    private static final int MAX_LENGTH = 48;

    private Slugs() {}

    /** The last three segments of a path pattern, without its stars. */
    static String path(String pattern) {
        List<String> parts = new ArrayList<>();
        for (String segment : pattern.split("/")) {
            String s = segment.replace("*", " ").trim();
            if (!s.isEmpty()) parts.add(s);
        }
        return String.join("-", parts.subList(Math.max(0, parts.size() - 3), parts.size()));
    }

    /** The last two segments of a class pattern, without its stars. */
    static String className(String pattern) {
        String[] parts = pattern.replace("*", " ").trim().split("\\.");
        int from = Math.max(0, parts.length - 2);
        return String.join("-", Arrays.asList(parts).subList(from, parts.length));
    }

    /** A command argument: a path's file name (its directory's where the name is a star), anything else as it is. */
    static String argument(String arg) {
        if (!arg.startsWith("/")) return arg;
        String slug = path(arg);
        int dash = slug.lastIndexOf('-');
        String last = PathPatterns.fileName(arg).replace("*", " ").trim();
        return last.isEmpty() ? slug.substring(dash + 1) : last;
    }

    /** A command: the executable's file name and its first two arguments. */
    static String command(String executable, List<String> args) {
        StringBuilder slug = new StringBuilder(PathPatterns.fileName(executable));
        for (int i = 0; i < Math.min(2, args.size()); i++) slug.append('-').append(argument(args.get(i)));
        return slug.toString();
    }

    /** A slug as an id part: lower case, runs of other characters as one '-', at most the last 48 characters. */
    static String sanitize(String slug) {
        String s = slug.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > MAX_LENGTH) {
            boolean cutInWord = s.charAt(s.length() - MAX_LENGTH - 1) != '-';
            s = s.substring(s.length() - MAX_LENGTH);
            if (cutInWord && s.indexOf('-') > 0) s = s.substring(s.indexOf('-'));
            s = s.replaceAll("^-+", "");
        }
        return s.isEmpty() ? "root" : s;
    }
}
