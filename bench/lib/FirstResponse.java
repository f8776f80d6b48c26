import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Time from spawning a JVM to the first response of bench/lib/SmallServer, per configuration, in interleaved rounds:
 * the clock starts just before the process is spawned and stops when a 200 response has been read; the port is
 * tried every 0.5 ms. Prints, per configuration, the median and the paired median of the difference to the first
 * configuration (the same round's start without an agent).
 * Usage: java FirstResponse.java RUNS CLASSPATH DOCUMENT PORT_BASE 'name|java|option option ...' ...
 */
public class FirstResponse {
    record Config(String name, String java, List<String> options) {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        String classPath = args[1];
        String document = args[2];
        int portBase = Integer.parseInt(args[3]);
        List<Config> configs = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            String[] parts = args[i].split("\\|", 3);
            configs.add(new Config(parts[0], parts[1], parts[2].isBlank() ? List.of() : List.of(parts[2].trim().split(" +"))));
        }
        double[][] millis = new double[configs.size()][runs];
        Path log = Files.createTempFile("first-response", ".log");
        int port = portBase;
        for (int round = 0; round < runs; round++) {
            for (int k = 0; k < configs.size(); k++) {
                int c = (k + round) % configs.size();
                Config config = configs.get(c);
                port = portBase + (port + 1 - portBase) % 200;
                List<String> command = new ArrayList<>();
                command.add(config.java());
                command.addAll(config.options());
                command.addAll(List.of("-cp", classPath, "SmallServer", String.valueOf(port), document));
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
                long start = System.nanoTime();
                Process p = pb.start();
                try {
                    firstResponse(port, p, config.name());
                } catch (IllegalStateException e) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                    throw new IllegalStateException(e.getMessage() + ": " + Files.readString(log), e);
                }
                millis[c][round] = (System.nanoTime() - start) / 1e6;
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
                String output = Files.readString(log);
                if (output.contains("\"blocked\":true") || output.contains("Exception")) {
                    throw new IllegalStateException(config.name() + ": " + output);
                }
            }
        }
        System.out.printf("%-14s %10s %10s%n", "config", "median_ms", "added_ms");
        for (int c = 0; c < configs.size(); c++) {
            double[] paired = new double[runs];
            for (int r = 0; r < runs; r++) paired[r] = millis[c][r] - millis[0][r];
            System.out.printf("%-14s %10.1f %10.1f%n", configs.get(c).name(), median(millis[c]), median(paired));
        }
    }

    private static void firstResponse(int port, Process p, String name) throws IOException {
        byte[] request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new IllegalStateException(name + " exited with " + p.exitValue());
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                s.setSoTimeout(30_000);
                OutputStream out = s.getOutputStream();
                out.write(request);
                out.flush();
                InputStream in = s.getInputStream();
                byte[] head = in.readNBytes(12);
                if (!new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200")) {
                    throw new IllegalStateException(name + " answered " + new String(head, StandardCharsets.US_ASCII));
                }
                in.transferTo(OutputStream.nullOutputStream());
                return;
            } catch (java.net.ConnectException refused) {
                LockSupport.parkNanos(500_000);
            }
        }
        throw new IllegalStateException(name + ": no response within 30 s");
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[(v.length - 1) / 2];
    }
}
