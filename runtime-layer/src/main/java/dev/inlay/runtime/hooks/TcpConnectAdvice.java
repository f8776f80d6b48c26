package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code NioSocketImpl.connect(SocketAddress, int)} (Socket, HttpURLConnection), {@code SocketChannelImpl.connect/blockingConnect} (SocketChannel blocking and not, HttpClient), {@code UnixAsynchronousSocketChannelImpl.implConnect}. */
public final class TcpConnectAdvice {
    private TcpConnectAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) java.net.SocketAddress remote) {
        Inlay.connect(false, remote);
    }
}
