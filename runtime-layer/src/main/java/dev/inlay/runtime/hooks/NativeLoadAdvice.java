package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code NativeLibraries.loadLibrary(Class, String, boolean)}: System.load, System.loadLibrary, Runtime.load*, after the library file was found. */
public final class NativeLoadAdvice {
    private NativeLoadAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(1) String path) {
        Inlay.nativeLoad(path);
    }
}
