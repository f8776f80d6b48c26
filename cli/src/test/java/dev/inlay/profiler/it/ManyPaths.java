package dev.inlay.profiler.it;

import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Load for {@link LearningUnderLoadTest}: {@code DIR DIRS FILES_PER_DIR PORTS [wait]}: opens DIRS x FILES_PER_DIR
 * distinct (missing) files {@code DIR/dK/fI.txt}, then connects to PORTS distinct closed loopback ports, prints DONE
 * and its peak resident set ({@code VmHWM} from /proc/self/status); with {@code wait}, then sleeps (to be killed).
 */
public final class ManyPaths {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int dirs = Integer.parseInt(args[1]);
        int files = Integer.parseInt(args[2]);
        int ports = Integer.parseInt(args[3]);
        for (int d = 0; d < dirs; d++) {
            String prefix = dir + "/d" + d + "/f";
            for (int i = 0; i < files; i++) {
                try (FileInputStream in = new FileInputStream(prefix + i + ".txt")) {
                    in.read();
                } catch (IOException missing) {
                    // the attempt is what the agent records
                }
            }
        }
        for (int p = 0; p < ports; p++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1 + p), 200);
            } catch (IOException refused) {
                // a refused connection was still attempted
            }
        }
        String hwm = "?";
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) hwm = line.substring(6).trim();
        }
        System.out.println("DONE peak RSS " + hwm);
        System.out.flush();
        if (args.length > 4) Thread.sleep(120_000);
    }
}
