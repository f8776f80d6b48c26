package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code UnixFileSystemProvider.newDirectoryStream}: Files.list, Files.walk, Files.find, newDirectoryStream. */
public final class NioListAdvice {
    private NioListAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) Object dir) {
        Inlay.file(Checks.LIST, String.valueOf(dir));
    }
}
