package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code DatagramChannelImpl.blockingSend(DatagramPacket)} (JDK 21+): DatagramSocket.send. */
public final class UdpPacketSendAdvice {
    private UdpPacketSendAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) java.net.DatagramPacket packet) {
        Inlay.send(packet);
    }
}
