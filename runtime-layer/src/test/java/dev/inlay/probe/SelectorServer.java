package dev.inlay.probe;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;

/**
 * A selector loop like the JDK's HTTP server's, Netty's or Tomcat NIO's: a non-blocking channel accepts when the
 * selector says a connection waits. One client connects; the loop runs 20 rounds of at most 200 ms and counts the
 * accepts that threw a SecurityException, then reads from the client. Prints {@code DENIED n} and
 * {@code PEER closed|waiting}. Argument: the port.
 */
public final class SelectorServer {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int denied = 0;
        try (ServerSocketChannel server = ServerSocketChannel.open();
                Selector selector = Selector.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                for (int round = 0; round < 20; round++) {
                    if (selector.select(200) == 0) continue;
                    selector.selectedKeys().clear();
                    try {
                        var accepted = server.accept();
                        if (accepted != null) accepted.close();
                    } catch (SecurityException e) {
                        denied++;
                    }
                }
                client.setSoTimeout(2000);
                String peer;
                try {
                    peer = client.getInputStream().read() == -1 ? "closed" : "sent data";
                } catch (SocketTimeoutException e) {
                    peer = "waiting";
                } catch (SocketException reset) {
                    peer = "closed";
                }
                System.out.println("DENIED " + denied);
                System.out.println("PEER " + peer);
            }
        }
    }
}
