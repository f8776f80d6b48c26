package dev.inlay.profiler.generate;

import dev.inlay.model.LayerLayout;
import dev.inlay.policy.Operation;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;

/** Where a generated pattern may stand for many names: the limits every collapsing pass shares. */
final class CollapseRules {
    static final Set<Operation> READ_ONLY = EnumSet.of(Operation.READ, Operation.LIST);
    static final Set<Operation> MODIFYING = EnumSet.of(Operation.WRITE, Operation.CREATE, Operation.DELETE);

    /** Directories whose children never collapse into {@code dir/*}: secrets, kernel views, roots of the system. */
    private static final List<String> NO_COLLAPSE_TREES = List.of(
            "/etc", "/proc", "/sys", "/dev", "/root", "/home", "/run/secrets", "/var/run/secrets", "/tmp", "/var/tmp");

    private static final Set<String> NO_COLLAPSE_DIRS = Set.of(
            "/",
            "/usr",
            "/bin",
            "/sbin",
            "/lib",
            "/lib64",
            "/var",
            "/opt",
            "/srv",
            "/mnt",
            "/usr/bin",
            "/usr/sbin",
            "/usr/lib",
            "/usr/local",
            "/usr/local/bin",
            "/var/lib",
            "/var/run",
            "/run");
    /** Trees no generated pattern may ever write to, even where reads may collapse (certificates under /etc). */
    private static final List<String> NO_WRITE_COLLAPSE_TREES =
            List.of("/etc", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/boot", LayerLayout.DIR);
    /** Certificates under /etc are public and numerous; everything else under /etc stays exact. */
    private static final List<String> COLLAPSE_ALLOWED_UNDER_ETC = List.of("/etc/ssl/certs", "/etc/pki");

    private CollapseRules() {}

    /** Whether a directory's children may collapse into {@code dir/*}: never system, secret or hidden directories. */
    static boolean collapsible(String dir) {
        if (NO_COLLAPSE_DIRS.contains(dir) || dir.contains("*")) return false;
        for (String allowed : COLLAPSE_ALLOWED_UNDER_ETC) {
            if (dir.equals(allowed) || dir.startsWith(allowed + "/")) return true;
        }
        for (String tree : NO_COLLAPSE_TREES) {
            if (dir.equals(tree) || dir.startsWith(tree + "/")) return false;
        }
        for (String segment : dir.split("/")) {
            if (segment.startsWith(".") || segment.contains("secret") || segment.contains("private")) return false;
        }
        return true;
    }

    /** Whether a generated pattern may write under {@code dir}: collapsible, and no system tree or JDK home. */
    static boolean writeCollapsible(String dir, SortedSet<String> jdkHomes) {
        if (!collapsible(dir)
                || dir.equals("/")
                || JdkHomes.homeOf(dir + "/", jdkHomes) != null
                || jdkHomes.contains(dir)) {
            return false;
        }
        for (String tree : NO_WRITE_COLLAPSE_TREES) {
            if (dir.equals(tree) || dir.startsWith(tree + "/")) return false;
        }
        return true;
    }
}
