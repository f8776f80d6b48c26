package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code DatagramChannelImpl.connect(SocketAddress, boolean)}: DatagramChannel.connect, DatagramSocket.connect. */
public final class UdpConnectAdvice {
    private UdpConnectAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) java.net.SocketAddress remote) {
        Inlay.connect(true, remote);
    }
}
