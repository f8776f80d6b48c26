package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code UnixFileSystemProvider.createDirectory/createSymbolicLink/createLink}: Files.createDirectory(ies), links. */
public final class NioCreateAdvice {
    private NioCreateAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) Object path) {
        Inlay.file(Checks.CREATE, String.valueOf(path));
    }
}
