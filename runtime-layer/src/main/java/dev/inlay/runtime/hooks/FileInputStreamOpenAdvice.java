package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code FileInputStream.open(String)}: every FileInputStream constructor. */
public final class FileInputStreamOpenAdvice {
    private FileInputStreamOpenAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) String name) {
        Inlay.file(Checks.READ, name);
    }
}
