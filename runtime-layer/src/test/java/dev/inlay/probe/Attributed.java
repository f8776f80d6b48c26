package dev.inlay.probe;

import com.sun.net.httpserver.HttpServer;

import java.io.FileInputStream;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Attribution (docs/COVERAGE.md): reads of four files by a library jar and by this class (a directory), directly and
 * through reflection, and a connection accepted by the JDK's own HTTP server thread.
 *
 * <pre>Attributed LIBRARY-CLASS BY-LIB BY-LIB-REFLECTIVELY BY-APP BY-APP-REFLECTIVELY [EXECUTABLE]</pre>
 * The library class has {@code open(String)}, {@code openReflectively(String)} and {@code run(String)} (starts the
 * executable); it is called through reflection, being compiled apart from this class. With an executable, the
 * library and then this class start it.
 */
public final class Attributed {
    private Attributed() {}

    public static void main(String[] args) throws Exception {
        Class<?> library = Class.forName(args[0]);
        attempt("lib", library.getMethod("open", String.class), args[1]);
        attempt("lib-reflectively", library.getMethod("openReflectively", String.class), args[2]);
        try (InputStream in = new FileInputStream(args[3])) {
            System.out.println("PROBE app ALLOWED " + in.read());
        } catch (SecurityException e) {
            System.out.println("PROBE app DENIED " + e.getMessage());
        }
        attempt("app-reflectively", Files.class.getMethod("readAllBytes", Path.class), Path.of(args[4]));
        if (args.length > 5) {
            attempt("lib-exec", library.getMethod("run", String.class), args[5]);
            try {
                System.out.println("PROBE app-exec ALLOWED "
                        + new ProcessBuilder(args[5]).start().waitFor());
            } catch (SecurityException e) {
                System.out.println("PROBE app-exec DENIED " + e.getMessage());
            }
        }
        // The JDK's dispatcher thread accepts the connection: no application frame on its stack.
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.start();
        try (Socket s =
                new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
            s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getInputStream().read();
        }
        server.stop(0);
        System.out.println("PROBE jdk-thread " + server.getAddress().getPort());
    }

    private static void attempt(String name, Method method, Object arg) throws Exception {
        try {
            method.invoke(null, arg);
            System.out.println("PROBE " + name + " ALLOWED");
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable cause = e.getCause();
            while (cause instanceof java.lang.reflect.InvocationTargetException i) cause = i.getCause();
            if (!(cause instanceof SecurityException)) throw e;
            System.out.println("PROBE " + name + " DENIED " + cause.getMessage());
        }
    }
}
