package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code DatagramChannelImpl.send(ByteBuffer, SocketAddress)} and (JDK 17) {@code blockingSend(ByteBuffer, SocketAddress)}: DatagramChannel.send, DatagramSocket.send. */
public final class UdpSendAdvice {
    private UdpSendAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(1) java.net.SocketAddress remote) {
        Inlay.connect(true, remote);
    }
}
