package dev.inlay.probe;

import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Scanner;

/**
 * The JDK reading its own files on the application's behalf (container metrics, a strong random number, a time zone:
 * cgroup files, /dev/random, tzdb.dat, libmanagement.so), then the application reading files of the same kind itself
 * (/proc/self/mountinfo, /dev/urandom, and /proc/self/cgroup through a JDK API that takes its path).
 */
public final class JvmOwnReads {
    private JvmOwnReads() {}

    @SuppressWarnings("removal")
    public static void main(String[] args) throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.println("memory " + os.getTotalMemorySize());
        System.out.println(
                "random " + java.security.SecureRandom.getInstanceStrong().nextInt());
        System.out.println(
                "zone " + java.time.ZoneId.of("Europe/Paris").getRules().isFixedOffset());
        // the JDK's network defaults (sun.net.NetProperties), which it opens by their canonical path: on Debian's
        // JDK 17 conf/net.properties is a link to /etc/java-17-openjdk/net.properties
        System.out.println("proxies "
                + java.net.ProxySelector.getDefault()
                        .select(java.net.URI.create("http://127.0.0.1/"))
                        .size());

        // JDK 17 to 23 load the default Policy here (java.home's java.policy, the user's ~/.java.policy), even
        // without a SecurityManager; JDK 24 and later do not
        try {
            java.security.AccessController.checkPermission(new java.util.PropertyPermission("user.dir", "read"));
            System.out.println("permission granted");
        } catch (SecurityException e) {
            System.out.println("permission " + e.getClass().getSimpleName());
        }

        System.out.println("mountinfo "
                + Files.readAllLines(Path.of("/proc/self/mountinfo")).size());
        try (InputStream in = new FileInputStream("/dev/urandom")) {
            System.out.println("urandom " + in.readNBytes(8).length);
        }
        try (Scanner s = new Scanner(new File("/proc/self/cgroup"))) {
            System.out.println("cgroup " + s.hasNextLine());
        }
        // the application's method reference run on a JDK pool thread: no frame of an application class, only the
        // reference's hidden class, and the file opened by the JDK's file: URL handler
        java.net.URL status = new java.net.URL("file:/proc/self/status");
        try (InputStream in = java.util.concurrent.ForkJoinPool.commonPool()
                .submit(status::openStream)
                .get()) {
            System.out.println("status " + in.read(new byte[64])); // /proc files have no available()
        }
        // a policy file the application names itself (argument named-policy): its read is the application's
        if (args.length > 0 && args[0].equals("named-policy"))
            try {
                java.security.Policy.getInstance(
                        "JavaPolicy",
                        new java.security.URIParameter(
                                new File(System.getProperty("user.home"), ".java.policy").toURI()));
                System.out.println("named policy read");
            } catch (Exception e) {
                System.out.println("named policy " + e.getClass().getSimpleName());
            }
        System.out.println("JVM-OWN-READS-OK");
    }
}
