package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code AccessibleObject.checkCanSetAccessible}: {@code setAccessible} on a member of an agent class. */
public final class ReflectionTamperAdvice {
    private ReflectionTamperAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) Class<?> caller, @Advice.Argument(1) Class<?> declaringClass) {
        Inlay.guardAgent(declaringClass, caller);
    }
}
