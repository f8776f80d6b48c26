package dev.inlay.bench.agent;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * The operations the agent hooks, each as the application does it. Subclasses choose the JVM (with or without the
 * agent); the measured code is the same. The files and the listener live in {@code target/inlay/}, which run.sh
 * prepares and the enforce-mode policy allows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class HookedOperations {
    private Path allowedFile;
    private ServerSocket listener;
    private Thread acceptor;
    private InetSocketAddress listenerAddress;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        allowedFile = Path.of(System.getProperty("bench.file", "target/inlay/allowed.txt")).toAbsolutePath();
        if (!Files.isRegularFile(allowedFile)) throw new IllegalStateException(allowedFile + " is missing (run.sh makes it)");
        listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        listenerAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        acceptor = new Thread(this::acceptForever, "bench-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptForever() {
        while (!listener.isClosed()) {
            try (Socket accepted = listener.accept()) {
                // Waits for the client's reset (it closes with linger 0), so that neither side keeps a TIME_WAIT
                // entry and a long run cannot exhaust the loopback's ephemeral ports.
                while (accepted.getInputStream().read() >= 0) {
                    // nothing is sent
                }
            } catch (IOException e) {
                if (listener.isClosed()) return;
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        listener.close();
    }

    @Benchmark
    public int fileOpenStream() throws IOException {
        try (FileInputStream in = new FileInputStream(allowedFile.toFile())) {
            return in.read();
        }
    }

    @Benchmark
    public long fileOpenChannel() throws IOException {
        try (FileChannel channel = FileChannel.open(allowedFile, StandardOpenOption.READ)) {
            return channel.size();
        }
    }

    @Benchmark
    public boolean socketConnect() throws IOException {
        try (Socket socket = new Socket()) {
            socket.setSoLinger(true, 0);
            socket.connect(listenerAddress);
            return socket.isConnected();
        }
    }

    @Benchmark
    public int processExec() throws IOException, InterruptedException {
        return new ProcessBuilder("/bin/true").start().waitFor();
    }

    @Benchmark
    public InetAddress[] dnsLookupLocalhost() throws IOException {
        return InetAddress.getAllByName("localhost");
    }
}
