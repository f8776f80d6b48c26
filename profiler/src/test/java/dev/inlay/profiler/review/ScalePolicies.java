package dev.inlay.profiler.review;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes two large policies shaped like learned ones (mostly literal file paths, some globs and subtrees, hosts, DNS
 * names and class patterns) for the scale test and bench/policy-cli.sh: {@code a.yaml} with N rules and
 * {@code b.yaml}, the same with 1% of the rules removed, 1% added, 1% widened and some actions changed, and
 * {@code c.yaml}, the rules of a under other ids (a policy learned again: every rule is added and removed, so the diff
 * asks for each whether the other policy permits or blocks it).
 * No dependencies, so the bench runs it from the test classes: {@code java -cp ... ScalePolicies N DIR}.
 */
public final class ScalePolicies {
    private ScalePolicies() {}

    public static void main(String[] args) throws IOException {
        write(Integer.parseInt(args[0]), Path.of(args[1]));
    }

    public static void write(int rules, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Writer a = Files.newBufferedWriter(dir.resolve("a.yaml"), StandardCharsets.UTF_8);
                Writer b = Files.newBufferedWriter(dir.resolve("b.yaml"), StandardCharsets.UTF_8);
                Writer c = Files.newBufferedWriter(dir.resolve("c.yaml"), StandardCharsets.UTF_8)) {
            head(a, "a");
            head(b, "b");
            head(c, "c");
            String[] categories = {"files", "network", "dns", "deserialization"};
            int[] counts = {rules * 7 / 10, rules / 10, rules / 10, rules - rules * 7 / 10 - 2 * (rules / 10)};
            for (int k = 0; k < categories.length; k++) {
                a.write("  " + categories[k] + ":\n");
                b.write("  " + categories[k] + ":\n");
                c.write("  " + categories[k] + ":\n");
                for (int i = 0; i < counts[k]; i++) {
                    String rule = rule(categories[k], i, false);
                    a.write(rule);
                    c.write(rule.replace("    - id: ", "    - id: again-"));
                    if (i % 100 == 1) continue; // removed in b
                    b.write(
                            i % 100 == 2
                                    ? rule(categories[k], i, true)
                                    : i % 100 == 3 ? rule.replace("action: allow", "action: alert") : rule);
                    if (i % 100 == 4) b.write(rule(categories[k], i + 1_000_000, false)); // added in b
                }
            }
        }
    }

    private static void head(Writer w, String name) throws IOException {
        w.write("apiVersion: inlay.dev/v1\nkind: Policy\nmetadata:\n  name: " + name + "\nspec:\n  mode: enforce\n"
                + "  defaults: {files: deny, network: deny, dns: alert, deserialization: deny}\n");
    }

    private static String rule(String category, int i, boolean widened) {
        String action = i % 37 == 0 ? "deny" : "allow";
        String head = "    - id: " + (category.equals("deserialization") ? "z" : category.substring(0, 1)) + i
                + "\n      action: " + action + "\n";
        switch (category) {
            case "files": {
                String path = i % 20 == 0
                        ? "/app/cache/d" + i + "/*.tmp"
                        : i % 50 == 7
                                ? "/srv/s" + (i % 500) + "/**"
                                : "/app/data/dir" + (i / 100) + "/file" + i + ".dat";
                if (widened) path = "/app/data/dir" + (i / 100) + "/**";
                return head + "      operations: [read" + (i % 3 == 0 ? ", write" : "")
                        + "]\n      paths:\n        - \"" + path + "\"\n";
            }
            case "network":
                return head + "      operations: [connect]\n      hosts: [\""
                        + (widened ? "*.internal" : "svc" + i + ".internal") + "\"]\n      ports: [\""
                        + (8000 + i % 1000) + "\"]\n";
            case "dns":
                return head + "      names: [\""
                        + (i % 25 == 0 ? "*.zone" + i + ".example.com" : "n" + i + ".example.com") + "\"]\n";
            default:
                return head + "      classes: [\""
                        + (widened
                                ? "com.example.p" + (i / 50) + ".**"
                                : i % 30 == 0
                                        ? "com.example.p" + (i / 50) + ".*"
                                        : "com.example.p" + (i / 50) + ".C" + i)
                        + "\"]\n";
        }
    }
}
