package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code RandomAccessFile.open(String, int)}: RandomAccessFile, and the first open of a ZipFile/JarFile. Mode bit 2 is O_RDWR. */
public final class RandomAccessFileOpenAdvice {
    private RandomAccessFileOpenAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) String name, @Advice.Argument(1) int mode) {
        Inlay.file((mode & 2) != 0 ? Checks.WRITE : Checks.READ, name);
    }
}
