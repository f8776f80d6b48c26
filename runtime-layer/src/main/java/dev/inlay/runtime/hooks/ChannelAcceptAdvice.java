package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code ServerSocketChannelImpl.accept()}, {@code AsynchronousServerSocketChannelImpl.accept(...)}. */
public final class ChannelAcceptAdvice {
    private ChannelAcceptAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.FieldValue("localAddress") java.net.SocketAddress local) {
        Inlay.accept(local);
    }
}
