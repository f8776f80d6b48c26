package dev.inlay.scanner.vuln;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OSV's range evaluation on each kind of event, each range type and each ecosystem. */
class RangeMatcherTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static OsvRecord.Affected affected(String ecosystem, String rangesAndVersions) throws Exception {
        String json = "{\"id\":\"T-1\",\"affected\":[{\"package\":{\"ecosystem\":\"" + ecosystem + "\",\"name\":\"p\"},"
                + rangesAndVersions + "}]}";
        return OsvRecord.from(JSON.readTree(json), "test").affected().get(0);
    }

    private static boolean hit(OsvRecord.Affected a, String version) {
        return RangeMatcher.match(a, version, a.ecosystem()).affected();
    }

    @Test
    void introducedAndFixedAcrossSeveralIntervalsOfOneRange() throws Exception {
        var a = affected(
                "Maven",
                "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"2.13.0\"},{\"fixed\":\"2.15.0\"},"
                        + "{\"introduced\":\"2.0-beta9\"},{\"fixed\":\"2.3.1\"},{\"introduced\":\"2.4.0\"},{\"fixed\":\"2.12.2\"}]}]");
        for (String v : List.of("2.0-beta9", "2.0", "2.3.0", "2.4.0", "2.12.1", "2.13.0", "2.14.1"))
            assertTrue(hit(a, v), v);
        for (String v : List.of("2.0-beta8", "2.3.1", "2.3.2", "2.12.2", "2.12.4", "2.15.0", "2.17.1", "3.0.0"))
            assertFalse(hit(a, v), v);
        assertEquals(
                List.of("2.15.0", "2.3.1", "2.12.2"),
                RangeMatcher.match(a, "2.14.1", "Maven").fixed());
    }

    @Test
    void lastAffectedIncludesItsVersionOnly() throws Exception {
        var a = affected(
                "Maven",
                "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"last_affected\":\"1.4.2\"}]}]");
        assertTrue(hit(a, "0.1"));
        assertTrue(hit(a, "1.4.2"));
        assertTrue(hit(a, "1.4.2-rc1"));
        assertFalse(hit(a, "1.4.3"));
        assertFalse(hit(a, "1.4.2-sp1"));
    }

    @Test
    void limitBoundsAnOpenRange() throws Exception {
        var a = affected(
                "Maven",
                "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"1.0\"},{\"limit\":\"2.0\"}]}]");
        assertTrue(hit(a, "1.5"));
        assertFalse(hit(a, "2.0"));
        assertFalse(hit(a, "0.9"));
        var open = affected("Maven", "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"1.0\"}]}]");
        assertTrue(hit(open, "99.0"));
    }

    @Test
    void explicitVersionsMatchExactlyEvenWithoutRanges() throws Exception {
        var a = affected("PyPI", "\"versions\":[\"1.0.0\",\"1.0.1\"]");
        assertTrue(hit(a, "1.0.1"));
        assertFalse(hit(a, "1.0.2"));
    }

    @Test
    void semverRangesUseSemverOrderWhateverTheEcosystem() throws Exception {
        var a = affected(
                "npm",
                "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"1.0.0-beta.2\"},{\"fixed\":\"1.0.0\"}]}]");
        assertTrue(hit(a, "1.0.0-beta.11"));
        assertTrue(hit(a, "1.0.0-rc.1"));
        assertFalse(hit(a, "1.0.0-beta"));
        assertFalse(hit(a, "1.0.0"));
    }

    @Test
    void debianRangesFollowDpkg() throws Exception {
        var a = affected(
                "Debian:12",
                "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"2.36-9+deb12u3\"}]}]");
        assertTrue(hit(a, "2.36-9+deb12u1"));
        assertTrue(hit(a, "2.36-9"));
        assertTrue(hit(a, "2.36~rc1-1"));
        assertFalse(hit(a, "2.36-9+deb12u3"));
        assertFalse(hit(a, "2.36-9+deb12u10"));
        assertFalse(hit(a, "2.37-1"));
    }

    @Test
    void alpineRangesFollowApk() throws Exception {
        var a = affected(
                "Alpine:v3.19",
                "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"3.1.4-r1\"}]}]");
        assertTrue(hit(a, "3.1.4-r0"));
        assertTrue(hit(a, "3.1.4_rc2-r3"));
        assertFalse(hit(a, "3.1.4-r1"));
        assertFalse(hit(a, "3.1.4_p1-r0"));
    }

    @Test
    void aVersionTheOrderRefusesIsAProblemNotASilentMiss() throws Exception {
        var a = affected(
                "Alpine:v3.19",
                "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"3.1.4-r1\"}]}]");
        RangeMatcher.Match m = RangeMatcher.match(a, "not-a-version", "Alpine:v3.19");
        assertFalse(m.affected());
        assertEquals(1, m.problems().size(), m.problems().toString());
        var unordered = affected("PyPI", "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"}]}]");
        assertEquals(
                List.of("no version ordering for ecosystem PyPI"),
                RangeMatcher.match(unordered, "1.0", "PyPI").problems());
    }
}
