package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code InitialContext.getURLOrDefaultInitCtx(String|Name)}: every InitialContext/InitialDirContext operation on a name (lookup, bind, list, search...). */
public final class JndiAdvice {
    private JndiAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) Object name) {
        Inlay.jndi(name);
    }
}
