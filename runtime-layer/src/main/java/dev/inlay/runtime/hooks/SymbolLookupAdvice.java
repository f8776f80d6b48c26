package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code SymbolLookup.libraryLookup(String|Path, Arena)} (JDK 22+). */
public final class SymbolLookupAdvice {
    private SymbolLookupAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) Object library) {
        Inlay.nativeLoad(String.valueOf(library));
    }
}
