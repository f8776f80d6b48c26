package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code File.renameTo(File)}: removes the source, writes the target. */
public final class FileRenameAdvice {
    private FileRenameAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.This java.io.File self, @Advice.Argument(0) java.io.File target) {
        Inlay.file(Checks.DELETE, self.getPath());
        if (target != null) Inlay.file(Checks.WRITE, target.getPath());
    }
}
