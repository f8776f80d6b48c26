package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code NioSocketImpl.accept(SocketImpl)}: ServerSocket.accept. */
public final class SocketAcceptAdvice {
    private SocketAcceptAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.FieldValue("localport") int localPort) {
        Inlay.accept(localPort);
    }
}
