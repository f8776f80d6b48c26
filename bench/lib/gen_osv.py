#!/usr/bin/env python3
"""Writes a synthetic but schema-valid OSV database the size of OSV's real Maven + Debian ones, and a CycloneDX SBOM.

    gen_osv.py OUT_DIR [MAVEN_RECORDS] [DEBIAN_RECORDS] [COMPONENTS]

OUT_DIR/Maven/all.zip and OUT_DIR/Debian/all.zip (one record per entry, as OSV publishes them; Debian records carry
Debian:11, Debian:12 and Debian:13 entries like OSV's DEBIAN-CVE records), and OUT_DIR/sbom.cdx.json with COMPONENTS
components (60% Maven, 40% Debian binary packages of bookworm), about a third of them named by some advisory.
Deterministic (seeded), so that two runs measure the same database.
"""
import json, random, sys, zipfile, os

out = sys.argv[1]
maven_n = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
debian_n = int(sys.argv[3]) if len(sys.argv) > 3 else 300000
components = int(sys.argv[4]) if len(sys.argv) > 4 else 500
rnd = random.Random(21)
words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna".split()

def text(n):
    return " ".join(rnd.choice(words) for _ in range(n))

maven_pkgs = [f"org.example{g}.group{g % 97}:artifact-{a}" for g in range(300) for a in range(12)]  # 3,600 packages
debian_pkgs = [f"src{p}-{rnd.choice(words)}" for p in range(6000)]

def maven_version():
    return f"{rnd.randint(0, 6)}.{rnd.randint(0, 20)}.{rnd.randint(0, 15)}"

def debian_version(release):
    return f"{rnd.randint(0, 9)}.{rnd.randint(0, 30)}-{rnd.randint(1, 9)}+deb{release}u{rnd.randint(1, 5)}"

os.makedirs(f"{out}/Maven", exist_ok=True)
os.makedirs(f"{out}/Debian", exist_ok=True)
with zipfile.ZipFile(f"{out}/Maven/all.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for i in range(maven_n):
        rid = f"GHSA-{i:04x}-bench-{i % 9999:04d}"
        pkg = rnd.choice(maven_pkgs)
        rec = {"schema_version": "1.6.0", "id": rid, "modified": "2025-01-01T00:00:00Z", "published": "2024-01-01T00:00:00Z",
               "aliases": [f"CVE-2024-{100000 + i}"], "summary": text(8), "details": text(120),
               "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
               "affected": [{"package": {"ecosystem": "Maven", "name": pkg, "purl": "pkg:maven/" + pkg.replace(":", "/")},
                             "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": maven_version()}]}],
                             "database_specific": {"source": f"https://github.com/github/advisory-database/{rid}.json"}}],
               "references": [{"type": "ADVISORY", "url": f"https://nvd.nist.gov/vuln/detail/CVE-2024-{100000 + i}"}] * 3,
               "database_specific": {"cwe_ids": ["CWE-502"], "github_reviewed": True, "severity": "HIGH"}}
        if i % 500 == 0:
            rec["withdrawn"] = "2025-01-02T00:00:00Z"
        z.writestr(f"{rid}.json", json.dumps(rec, indent=2))
with zipfile.ZipFile(f"{out}/Debian/all.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for i in range(debian_n):
        rid = f"DEBIAN-CVE-{2000 + i // 100000}-{i % 100000:05d}"
        pkg = rnd.choice(debian_pkgs)
        affected = [{"package": {"ecosystem": f"Debian:{r}", "name": pkg, "purl": f"pkg:deb/debian/{pkg}?arch=source"},
                     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": debian_version(r)}]}]}
                    for r in (11, 12, 13)]
        rec = {"schema_version": "1.6.0", "id": rid, "modified": "2025-01-01T00:00:00Z", "published": "2024-01-01T00:00:00Z",
               "upstream": [rid[len("DEBIAN-"):]], "details": text(60), "affected": affected,
               "references": [{"type": "ADVISORY", "url": f"https://security-tracker.debian.org/tracker/{rid[7:]}"}]}
        z.writestr(f"{rid}.json", json.dumps(rec, indent=2))

comps = []
for i in range(components):
    if i < components * 6 // 10:
        pkg = rnd.choice(maven_pkgs) if i % 3 == 0 else f"org.unknown{i}:lib-{i}"
        g, a = pkg.split(":")
        v = maven_version()
        comps.append({"type": "library", "bom-ref": f"c{i}", "group": g, "name": a, "version": v,
                      "purl": f"pkg:maven/{g}/{a}@{v}", "licenses": [{"license": {"id": "Apache-2.0"}}]})
    else:
        src = rnd.choice(debian_pkgs) if i % 3 == 0 else f"unknown-src{i}"
        v = debian_version(12)
        comps.append({"type": "library", "bom-ref": f"c{i}", "name": f"lib{src}", "version": v,
                      "purl": f"pkg:deb/debian/lib{src}@{v.replace('+', '%2B')}?arch=amd64&distro=debian-12",
                      "properties": [{"name": "inlay:source", "value": src}]})
with open(f"{out}/sbom.cdx.json", "w") as f:
    json.dump({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": comps}, f)
print(f"{maven_n} Maven + {debian_n} Debian records, {components} components -> {out}", file=sys.stderr)
