package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code NioSocketImpl.listen(int)}: ServerSocket; the port is already bound. */
public final class TcpListenAdvice {
    private TcpListenAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.FieldValue("localport") int localPort) {
        Inlay.listen(false, localPort);
    }
}
