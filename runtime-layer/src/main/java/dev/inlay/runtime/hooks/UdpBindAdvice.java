package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code DatagramChannelImpl.bind(SocketAddress)}: DatagramSocket(port), DatagramChannel.bind. An ephemeral (port 0) bind is a client socket: not checked. */
public final class UdpBindAdvice {
    private UdpBindAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) java.net.SocketAddress local) {
        Inlay.listenUdp(local);
    }
}
