package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code File.normalizedList()}: File.list and File.listFiles in all their forms. */
public final class FileListAdvice {
    private FileListAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.This java.io.File self) {
        Inlay.file(Checks.LIST, self.getPath());
    }
}
