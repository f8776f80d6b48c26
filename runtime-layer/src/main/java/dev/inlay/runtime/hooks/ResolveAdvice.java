package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code InetAddress.getAllByName0}: every name lookup (getByName, getAllByName, InetSocketAddress, sockets by name). */
public final class ResolveAdvice {
    private ResolveAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) String host) {
        Inlay.resolve(host);
    }
}
