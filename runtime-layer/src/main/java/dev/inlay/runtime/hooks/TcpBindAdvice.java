package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code ServerSocketChannelImpl.bind(SocketAddress, int)}, {@code AsynchronousServerSocketChannelImpl.bind(SocketAddress, int)}. */
public final class TcpBindAdvice {
    private TcpBindAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) java.net.SocketAddress local) {
        Inlay.listen(false, local);
    }
}
