package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code File.createNewFile(), File.mkdir()} (mkdirs calls mkdir). */
public final class FileCreateAdvice {
    private FileCreateAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.This java.io.File self) {
        Inlay.file(Checks.CREATE, self.getPath());
    }
}
