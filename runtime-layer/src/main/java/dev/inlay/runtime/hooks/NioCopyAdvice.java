package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code UnixFileSystemProvider.copy}: reads the source, writes the target. */
public final class NioCopyAdvice {
    private NioCopyAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) Object source, @Advice.Argument(1) Object target) {
        Inlay.file(Checks.READ, String.valueOf(source));
        Inlay.file(Checks.WRITE, String.valueOf(target));
    }
}
