package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

import java.lang.reflect.Field;

/** {@code sun.misc.Unsafe} field offsets and bases: raw memory access to an agent class's fields. */
public final class UnsafeTamperAdvice {
    private UnsafeTamperAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) Field field) {
        Inlay.guardAgentField(field);
    }
}
