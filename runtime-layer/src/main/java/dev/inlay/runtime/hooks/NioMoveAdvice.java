package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code UnixFileSystemProvider.move}: removes the source, writes the target. */
public final class NioMoveAdvice {
    private NioMoveAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) Object source, @Advice.Argument(1) Object target) {
        Inlay.file(Checks.DELETE, String.valueOf(source));
        Inlay.file(Checks.WRITE, String.valueOf(target));
    }
}
