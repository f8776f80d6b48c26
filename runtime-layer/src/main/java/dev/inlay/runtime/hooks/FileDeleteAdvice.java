package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code File.delete()}. */
public final class FileDeleteAdvice {
    private FileDeleteAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.This java.io.File self) {
        Inlay.file(Checks.DELETE, self.getPath());
    }
}
