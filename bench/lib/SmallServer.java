import com.sun.net.httpserver.HttpServer;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The small application of bench/startup.sh's first-response table: the JDK's HTTP server on 127.0.0.1:PORT
 * answering every request with the content of FILE, read per request (a listen, an accept and a file read: what the
 * agent checks on a request's path). Usage: java SmallServer PORT FILE
 */
public class SmallServer {
    public static void main(String[] args) throws Exception {
        Path document = Path.of(args[1]);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 0);
        server.createContext("/", exchange -> {
            byte[] body = Files.readAllBytes(document);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }
}
