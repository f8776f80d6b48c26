package dev.inlay.profiler.it;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What an ordinary service does at start-up, for {@link TravelingPolicyTest}: container metrics, a strong random
 * number, a time zone, TLS defaults, a temporary file, a file in its working directory, and one read of its own of a
 * file the JDK also reads ({@code /proc/self/status}), which must stay the application's behavior.
 */
public final class TravelApp {
    private TravelApp() {}

    public static void main(String[] args) throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.println("memory " + os.getTotalMemorySize() + " cpus " + os.getAvailableProcessors());
        System.out.println(
                "random " + java.security.SecureRandom.getInstanceStrong().nextInt());
        System.out.println("paris "
                + java.time.ZonedDateTime.now(java.time.ZoneId.of("Europe/Paris"))
                        .getZone());
        System.out.println("tls " + javax.net.ssl.SSLContext.getDefault().getProtocol());
        Path tmp = Files.createTempFile("travel-", ".tmp");
        Files.writeString(tmp, "x");
        Files.delete(tmp);
        Files.writeString(Path.of("state.txt"), "started");
        System.out.println("status lines "
                + Files.readAllLines(Path.of("/proc/self/status")).size());
        System.out.println("TRAVEL-OK");
    }
}
