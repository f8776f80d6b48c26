package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code ClassLoader.defineClass(String, byte[], int, int, ProtectionDomain)} and {@code defineClass(String, ByteBuffer, ProtectionDomain)}. */
public final class DefineClassAdvice {
    private DefineClassAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.This ClassLoader loader, @Advice.Argument(0) String name, @Advice.AllArguments Object[] args) {
        Inlay.define(loader, name, (java.security.ProtectionDomain) args[args.length - 1]);
    }
}
