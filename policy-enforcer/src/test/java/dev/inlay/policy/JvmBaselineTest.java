package dev.inlay.policy;

import dev.inlay.policy.engine.PolicyEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent's plain-prefix baseline decides exactly as the baseline policy compiled by the engine. */
class JvmBaselineTest {
    @Test
    void thePrefixesAgreeWithThePolicy(@TempDir Path dir) throws Exception {
        // a Debian-like JDK whose conf is a link into /etc (here: another directory)
        Path home = Files.createDirectories(dir.resolve("jvm/java-17"));
        Path etc = Files.createDirectories(dir.resolve("etc/java-17-openjdk/security"));
        Files.createDirectories(home.resolve("lib/security"));
        Files.createSymbolicLink(home.resolve("conf"), etc.getParent());
        Roots roots = Roots.of(home.toString(), "/app/app.jar", "/tmp", "/app");
        PolicyEngine engine = PolicyEngine.compile(JvmBaseline.policy(), roots);
        JvmBaseline.Paths paths = JvmBaseline.Paths.of(roots);
        List<String> probes = new ArrayList<>(List.of(
                "/sys/fs/cgroup",
                "/sys/fs/cgroup/memory/x/memory.max",
                "/sys/fs/cgroupx",
                "/proc/cgroups",
                "/proc/self/cgroup",
                "/proc/self/status",
                "/proc/self/environ",
                "/proc/self/mountinfo2",
                "/sys/devices/system/cpu/online",
                "/etc/localtime",
                "/etc/shadow",
                "/usr/share/zoneinfo/Europe/Paris",
                "/dev/urandom",
                "/dev/urandomx",
                "/app/app.jar",
                "/tmp/x"));
        for (String p : List.of(
                "/lib/tzdb.dat",
                "/lib/tzdb.dat2",
                "/conf/security/java.security",
                "/conf",
                "/lib/security/cacerts",
                "/lib/libnet.so",
                "/bin/java",
                "/lib")) {
            probes.add(home + p);
        }
        probes.add(etc.resolve("java.security").toString());
        probes.add(etc.getParent().resolve("other").toString());
        int allowed = 0;
        for (String p : probes) {
            boolean byEngine = engine.file(Operation.READ, p).action() == Action.ALLOW;
            assertEquals(byEngine, paths.file(p), p);
            assertEquals(engine.nativeLibrary(p).action() == Action.ALLOW, paths.nativeLibrary(p), "native " + p);
            if (byEngine) allowed++;
        }
        assertTrue(allowed > 8, "the probes cover allowed paths too: " + allowed);
        assertTrue(paths.file(etc.resolve("java.security").toString()), "the conf link is followed");
        // Debian's newer packages link each file instead: lib/security/cacerts -> /etc/ssl/certs/java/cacerts
        Path cacerts = Files.writeString(
                Files.createDirectories(dir.resolve("ssl/certs/java")).resolve("cacerts"), "");
        Files.createSymbolicLink(home.resolve("lib/security/cacerts"), cacerts);
        Roots fresh = Roots.of(home.toString(), "/app/app.jar", "/tmp", "/app");
        assertTrue(JvmBaseline.Paths.of(fresh).file(cacerts.toString()), "a link to a file out of the JDK is followed");
        assertEquals(
                Action.ALLOW,
                PolicyEngine.compile(JvmBaseline.policy(), fresh)
                        .file(Operation.READ, cacerts.toString())
                        .action());
        assertFalse(JvmBaseline.Paths.of(fresh)
                .file(cacerts.getParent().resolve("other").toString()));
        // the user's ~/.java.policy, which JDK 17 reads when it loads its default Policy
        assertTrue(JvmBaseline.Paths.of(fresh, "/home/app/").file("/home/app/.java.policy"));
        assertFalse(JvmBaseline.Paths.of(fresh, "/home/app").file("/home/app/.bashrc"));
        assertFalse(JvmBaseline.Paths.of(fresh).file("/home/app/.java.policy"), "no user.home, no user file");
        assertTrue(JvmBaseline.Paths.of(fresh, "/").file("/.java.policy"));
        assertFalse(paths.file("/etc/shadow"));
    }
}
