package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code ZipFile$Source.get(File, ...)}: every ZipFile and JarFile open, also when the JDK reuses an open source. */
public final class ZipSourceAdvice {
    private ZipSourceAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) java.io.File file) {
        if (file != null) Inlay.file(Checks.READ, file.getPath());
    }
}
