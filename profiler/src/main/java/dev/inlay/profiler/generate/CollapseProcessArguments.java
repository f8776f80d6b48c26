package dev.inlay.profiler.generate;

import dev.inlay.policy.Category;
import dev.inlay.policy.Selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One executable run on many files of one directory ({@code sha256sum /app/data/docs/<name>}): commands with the same
 * executable and argument count whose arguments differ only where they are absolute paths in one (collapsible)
 * directory become one rule with {@code dir/*} at those positions, once {@code --collapse} distinct commands share the
 * shape. Arguments that are not such paths must be equal: they are never widened to {@code *}. Names that look
 * generated (numbers, UUIDs, hashes) were already patterns before this step. Never for shells, interpreters and
 * programs that run other commands or touch many files by design (their arguments are code).
 */
final class CollapseProcessArguments implements DraftPass {
    /** Programs whose arguments are code or another command: their path arguments never become {@code dir/*}. */
    private static final Pattern INTERPRETER = Pattern.compile("(ba|da|a|z|k|c|tc|mk)?sh|fish|busybox|env|xargs|"
            + "nohup|timeout|nice|ionice|stdbuf|setsid|chroot|sudo|su|doas|runuser|java|jshell|jrunscript|"
            + "python[0-9.]*|pypy[0-9.]*|perl[0-9.]*|ruby[0-9.]*|node(js)?|deno|bun|php[0-9.]*|lua(jit)?[0-9.]*|"
            + "tclsh[0-9.]*|wish[0-9.]*|[gmn]?awk|sed|pwsh|Rscript|make|find|ssh|scp|rsync|git|tar|zip|unzip");

    private final int threshold;

    CollapseProcessArguments(int threshold) {
        this.threshold = threshold;
    }

    @Override
    public void apply(Drafts drafts) {
        Map<String, List<String>> groups = new TreeMap<>();
        for (Map.Entry<String, Draft> e : drafts.entries()) {
            Draft d = e.getValue();
            String executable = d.only(Selector.EXECUTABLES);
            if (d.category != Category.PROCESS
                    || d.argPatterns == null
                    || executable == null
                    || d.flagged
                    || INTERPRETER.matcher(PathPatterns.fileName(executable)).matches()) {
                continue;
            }
            StringBuilder shape = new StringBuilder(executable).append('\u0000').append(d.argPatterns.size());
            for (String a : d.argPatterns) {
                String dir = argumentDirectory(a);
                shape.append('\u0000').append(dir == null ? a : dir + "/*");
            }
            groups.computeIfAbsent(shape.toString(), k -> new ArrayList<>()).add(e.getKey());
        }
        for (List<String> keys : groups.values()) {
            if (keys.size() < threshold) continue;
            List<Draft> members = keys.stream().map(drafts::get).toList();
            List<String> args = new ArrayList<>();
            for (int i = 0; i < members.get(0).argPatterns.size(); i++) {
                int position = i;
                Set<String> values = new TreeSet<>();
                members.forEach(m -> values.add(m.argPatterns.get(position)));
                String first = members.get(0).argPatterns.get(i);
                args.add(values.size() == 1 ? first : argumentDirectory(first) + "/*");
            }
            String executable = members.get(0).only(Selector.EXECUTABLES);
            Draft merged = new Draft(Category.PROCESS, Slugs.command(executable, args));
            for (String k : keys) merged.absorb(drafts.remove(k));
            merged.argPatterns = args;
            drafts.put(Category.PROCESS, executable + "\u0000" + String.join("\u0000", args), merged);
        }
    }

    /** The directory of an argument that is a plain absolute path in a collapsible directory, else null. */
    static String argumentDirectory(String arg) {
        if (!arg.startsWith("/")
                || arg.endsWith("/")
                || arg.contains("//")
                || arg.contains("/./")
                || arg.contains("/../")
                || arg.endsWith("/.")
                || arg.endsWith("/..")) {
            return null;
        }
        String dir = PathPatterns.parent(arg);
        return dir.contains("*") || !CollapseRules.collapsible(dir) ? null : dir;
    }
}
