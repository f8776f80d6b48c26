package dev.inlay.scanner.vuln;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each ecosystem's ordering on its own edge cases. */
class VersionOrderTest {
    /** Every version before the next one, both ways round. */
    private static void ascending(VersionOrder order, String... versions) {
        for (int i = 0; i + 1 < versions.length; i++) {
            for (int j = i + 1; j < versions.length; j++) {
                assertTrue(order.compare(versions[i], versions[j]) < 0, versions[i] + " < " + versions[j]);
                assertTrue(order.compare(versions[j], versions[i]) > 0, versions[j] + " > " + versions[i]);
            }
        }
    }

    private static void same(VersionOrder order, String a, String b) {
        assertEquals(0, order.compare(a, b), a + " == " + b);
        assertEquals(0, order.compare(b, a), b + " == " + a);
    }

    @Test
    void dpkgTildeSortsBeforeEverythingEvenTheEnd() {
        ascending(VersionOrder.DPKG, "1.0~~", "1.0~~a", "1.0~", "1.0~rc1", "1.0", "1.0a", "1.0+", "1.0+b1", "1.0.1");
    }

    @Test
    void dpkgEpochWinsOverEverything() {
        ascending(VersionOrder.DPKG, "9.9-9", "1:0.1", "1:0.2", "2:0~beta");
        same(VersionOrder.DPKG, "0:1.0-1", "1.0-1");
    }

    @Test
    void dpkgNumbersCompareAsNumbersAndRevisionsLast() {
        ascending(
                VersionOrder.DPKG,
                "2.36-9",
                "2.36-9+deb12u1",
                "2.36-9+deb12u3",
                "2.36-9+deb12u10",
                "2.36-10",
                "2.37-1");
        ascending(VersionOrder.DPKG, "1.0", "1.0-1", "1.0-1.1", "1.0.1-1");
        same(VersionOrder.DPKG, "1.001", "1.1");
        same(VersionOrder.DPKG, "1.0", "1.0-0");
        // The last hyphen splits: the upstream version keeps its own hyphens.
        ascending(VersionOrder.DPKG, "1.0-beta-1", "1.0-beta-2", "1.0-rc-1");
    }

    @Test
    void dpkgRefusesWhatIsNoVersion() {
        assertThrows(IllegalArgumentException.class, () -> VersionOrder.DPKG.compare("a:1.0", "1.0"));
        assertThrows(IllegalArgumentException.class, () -> VersionOrder.DPKG.compare("", "1.0"));
        assertThrows(IllegalArgumentException.class, () -> VersionOrder.DPKG.compare("1.0-", "1.0"));
        assertThrows(IllegalArgumentException.class, () -> VersionOrder.DPKG.compare("1.0 2", "1.0"));
    }

    @Test
    void mavenFollowsComparableVersion() {
        ascending(
                VersionOrder.MAVEN,
                "1.0-alpha",
                "1.0-alpha-2",
                "1.0-beta",
                "1.0-milestone-1",
                "1.0-rc1",
                "1.0-SNAPSHOT",
                "1.0",
                "1.0-sp1",
                "1.0.1");
        ascending(
                VersionOrder.MAVEN, "2.0-beta7", "2.0-beta9", "2.0-rc1", "2.0", "2.3.1", "2.12.2", "2.12.10", "2.15.0");
        same(VersionOrder.MAVEN, "1.0", "1.0.0");
        same(VersionOrder.MAVEN, "1.0", "1.0-ga");
        same(VersionOrder.MAVEN, "1.0", "1.0-final");
        same(VersionOrder.MAVEN, "1.0-alpha1", "1.0-a1");
        same(VersionOrder.MAVEN, "1.0-rc1", "1.0-cr1");
        same(VersionOrder.MAVEN, "2.4", "2.4.0");
        // An unknown qualifier sorts after the release (ComparableVersion's rule), and qualifiers are case-insensitive.
        ascending(VersionOrder.MAVEN, "1.0", "1.0-jboss");
        same(VersionOrder.MAVEN, "1.0-RC1", "1.0-rc1");
    }

    @Test
    void apkSuffixesAndRevisions() {
        ascending(
                VersionOrder.APK,
                "1.0_alpha",
                "1.0_alpha2",
                "1.0_beta",
                "1.0_pre1",
                "1.0_rc1",
                "1.0_rc2",
                "1.0",
                "1.0-r1",
                "1.0-r10",
                "1.0_p1",
                "1.0a",
                "1.0.1");
        ascending(VersionOrder.APK, "1.0_rc1-r5", "1.0-r0");
        ascending(VersionOrder.APK, "3.0.13-r0", "3.0.13-r1", "3.0.14-r0", "3.1.0_rc1-r0", "3.1.0-r0");
        ascending(VersionOrder.APK, "1.01", "1.1");
        ascending(VersionOrder.APK, "1.2", "1.2.1");
        same(VersionOrder.APK, "1.0", "1.0-r0");
        same(VersionOrder.APK, "1.010", "1.01");
        assertThrows(IllegalArgumentException.class, () -> VersionOrder.APK.compare("abc", "1.0"));
        assertThrows(IllegalArgumentException.class, () -> VersionOrder.APK.compare("1.0_foo", "1.0"));
        assertThrows(IllegalArgumentException.class, () -> VersionOrder.APK.compare("1.0-r", "1.0"));
    }

    @Test
    void semverPrecedenceAsTheSpecListsIt() {
        ascending(
                VersionOrder.SEMVER,
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-alpha.beta",
                "1.0.0-beta",
                "1.0.0-beta.2",
                "1.0.0-beta.11",
                "1.0.0-rc.1",
                "1.0.0",
                "1.0.1",
                "1.1.0",
                "2.0.0");
        same(VersionOrder.SEMVER, "v1.2.3", "1.2.3");
        same(VersionOrder.SEMVER, "1.2.3+build.5", "1.2.3");
        assertThrows(IllegalArgumentException.class, () -> VersionOrder.SEMVER.compare("1.x", "1.0.0"));
    }

    @Test
    void ecosystemsHaveTheirOrders() {
        assertEquals(VersionOrder.MAVEN, VersionOrder.forEcosystem("Maven"));
        assertEquals(VersionOrder.DPKG, VersionOrder.forEcosystem("Debian:12"));
        assertEquals(VersionOrder.APK, VersionOrder.forEcosystem("Alpine:v3.20"));
        assertEquals(null, VersionOrder.forEcosystem("PyPI"));
    }
}
