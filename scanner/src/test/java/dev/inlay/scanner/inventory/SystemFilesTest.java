package dev.inlay.scanner.inventory;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SystemFilesTest {
    @Test
    void dpkgStatusListsInstalledPackagesOnly() {
        String status = """
                Package: libc6
                Status: install ok installed
                Priority: optional
                Architecture: amd64
                Multi-Arch: same
                Source: glibc
                Version: 2.36-9+deb12u10
                Description: GNU C Library: Shared libraries
                 Contains the standard libraries that are used by nearly all programs on
                 the system.

                Package: libssl3
                Status: deinstall ok config-files
                Architecture: amd64
                Source: openssl (3.0.15-1~deb12u1)
                Version: 3.0.15-1~deb12u1

                Package: libgnutls30
                Status: install ok installed
                Architecture: amd64
                Source: gnutls28 (3.7.9-2)
                Version: 3.7.9-2+deb12u4
                """;
        List<FoundComponent> packages = SystemFiles.dpkgStatus("/var/lib/dpkg/status", status);
        assertEquals(
                List.of("libc6 2.36-9+deb12u10", "libgnutls30 3.7.9-2+deb12u4"),
                packages.stream().map(p -> p.name() + " " + p.version()).toList());
        assertEquals("glibc", packages.get(0).attributes().get("source"));
        assertEquals(
                "2.36-9+deb12u10",
                packages.get(0).attributes().get("sourceVersion"),
                "no version in Source: the binary's");
        assertEquals("gnutls28", packages.get(1).attributes().get("source"));
        assertEquals("3.7.9-2", packages.get(1).attributes().get("sourceVersion"));
        assertEquals("amd64", packages.get(1).attributes().get("arch"));
    }

    @Test
    void distrolessStatusDirectoryFilesHaveNoStatusField() {
        String file =
                "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\nMaintainer: GNU Libc Maintainers\n";
        List<FoundComponent> packages = SystemFiles.dpkgStatus("/var/lib/dpkg/status.d/tzdata", file);
        assertEquals(1, packages.size());
        assertEquals("tzdata", packages.get(0).attributes().get("source"), "no Source field: the binary's name");
        assertEquals("tzdata", packages.get(0).name());
        assertEquals("/var/lib/dpkg/status.d/tzdata", packages.get(0).evidenceSource());
    }

    @Test
    void apkInstalledDatabase() {
        String installed = """
                C:Q1p78yvTLG094tHE1+dToJGbmYzQE=
                P:musl
                V:1.2.5-r0
                A:x86_64
                S:411323
                L:MIT
                o:musl

                C:Q1AAAA=
                P:zlib
                V:1.3.1-r1
                A:x86_64
                L:Zlib
                o:zlib
                """;
        List<FoundComponent> packages = SystemFiles.apkInstalled("/lib/apk/db/installed", installed);
        assertEquals(
                List.of("musl 1.2.5-r0 [MIT]", "zlib 1.3.1-r1 [Zlib]"),
                packages.stream()
                        .map(p -> p.name() + " " + p.version() + " " + p.licences())
                        .toList());
        assertEquals("x86_64", packages.get(0).attributes().get("arch"));
    }

    @Test
    void jdkReleaseFile() {
        String release = """
                IMPLEMENTOR="Eclipse Adoptium"
                IMPLEMENTOR_VERSION="Temurin-21.0.4+7"
                JAVA_RUNTIME_VERSION="21.0.4+7-LTS"
                JAVA_VERSION="21.0.4"
                JAVA_VERSION_DATE="2024-07-16"
                MODULES="java.base java.logging"
                """;
        FoundComponent jdk = SystemFiles.jdkRelease("/opt/java/openjdk/release", release);
        assertEquals("openjdk 21.0.4 /opt/java/openjdk", jdk.name() + " " + jdk.version() + " " + jdk.location());
        assertEquals("Eclipse Adoptium", jdk.attributes().get("IMPLEMENTOR"));
        assertNull(SystemFiles.jdkRelease("/etc/some/release", "NAME=whatever\n"));
    }

    @Test
    void dep5LicencesAndNothingFromAFreeFormFile() {
        String dep5 = """
                Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
                Upstream-Name: bash

                Files: *
                Copyright: 1987-2022 Free Software Foundation, Inc.
                License: GPL-3+

                Files: lib/sh/inet_aton.c
                Copyright: 1983, 1990, 1993 The Regents of the University of California.
                License: BSD-4-clause-UC and GPL-3+

                License: GPL-3+
                 This program is free software; you can redistribute it.
                """;
        assertEquals(List.of("GPL-3+", "BSD-4-clause-UC and GPL-3+"), SystemFiles.dep5Licences(dep5));
        assertEquals(
                List.of(),
                SystemFiles.dep5Licences("This is the Debian prepackaged version of zlib.\n\nLicense: see below\n"));
    }
}
