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
    private JvmOwnReads() {
    }

    public static void main(String[] args) throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.println("memory " + os.getTotalMemorySize());
        System.out.println("random " + java.security.SecureRandom.getInstanceStrong().nextInt());
        System.out.println("zone " + java.time.ZoneId.of("Europe/Paris").getRules().isFixedOffset());

        System.out.println("mountinfo " + Files.readAllLines(Path.of("/proc/self/mountinfo")).size());
        try (InputStream in = new FileInputStream("/dev/urandom")) {
            System.out.println("urandom " + in.readNBytes(8).length);
        }
        try (Scanner s = new Scanner(new File("/proc/self/cgroup"))) {
            System.out.println("cgroup " + s.hasNextLine());
        }
        // the application's method reference run on a JDK pool thread: no frame of an application class, only the
        // reference's hidden class, and the file opened by the JDK's file: URL handler
        java.net.URL status = new java.net.URL("file:/proc/self/status");
        try (InputStream in = java.util.concurrent.ForkJoinPool.commonPool().submit(status::openStream).get()) {
            System.out.println("status " + in.read(new byte[64])); // /proc files have no available()
        }
        System.out.println("JVM-OWN-READS-OK");
    }
}
