package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code FileOutputStream.open(String, boolean)}: every FileOutputStream constructor. */
public final class FileOutputStreamOpenAdvice {
    private FileOutputStreamOpenAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) String name) {
        Inlay.file(Checks.WRITE, name);
    }
}
