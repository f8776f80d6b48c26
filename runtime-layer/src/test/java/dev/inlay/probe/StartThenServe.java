package dev.inlay.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a file while starting, then serves one connection (which ends the agent's start-up phase), then reads the
 * file again: {@code PROBE startup-read OK|DENIED} and {@code PROBE run-read OK|DENIED}. Argument: the file.
 */
public final class StartThenServe {
    private StartThenServe() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        System.out.println("PROBE startup-read " + read(file));
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread client = new Thread(new Client(server.getLocalPort()), "client");
            client.start();
            try (Socket accepted = server.accept()) {
                accepted.getInputStream().read();
            }
            client.join();
        }
        System.out.println("PROBE run-read " + read(file));
    }

    private static String read(Path file) {
        try {
            return Files.readAllBytes(file).length >= 0 ? "OK" : "?";
        } catch (SecurityException e) {
            return "DENIED " + e.getMessage();
        } catch (IOException e) {
            return "ERROR " + e;
        }
    }

    private static final class Client implements Runnable {
        private final int port;

        Client(int port) {
            this.port = port;
        }

        @Override
        public void run() {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.getOutputStream().write(1);
            } catch (IOException e) {
                System.out.println("PROBE client ERROR " + e);
            }
        }
    }
}
