package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code UnixFileSystemProvider.implDelete}: Files.delete, Files.deleteIfExists. */
public final class NioDeleteAdvice {
    private NioDeleteAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) Object path) {
        Inlay.file(Checks.DELETE, String.valueOf(path));
    }
}
