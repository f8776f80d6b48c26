package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

import java.lang.invoke.MethodHandles;

/** {@code MethodHandles.privateLookupIn}: a private lookup into an agent class. */
public final class LookupTamperAdvice {
    private LookupTamperAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) Class<?> target, @Advice.Argument(1) MethodHandles.Lookup caller) {
        Inlay.guardAgent(target, caller == null ? null : caller.lookupClass());
    }
}
