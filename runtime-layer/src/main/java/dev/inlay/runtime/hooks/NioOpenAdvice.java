package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code UnixFileSystemProvider.newByteChannel/newFileChannel/newAsynchronousFileChannel}: Files.new*, read*, write*, lines, FileChannel.open, AsynchronousFileChannel.open. */
public final class NioOpenAdvice {
    private NioOpenAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) Object path, @Advice.Argument(1) java.util.Set<?> options) {
        Inlay.fileOpen(path, options);
    }
}
