package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code ObjectInputStream.filterCheck(Class, int)}: each class read from a stream, before the application's own filter runs. */
public final class DeserializeAdvice {
    private DeserializeAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) Class<?> type, @Advice.Argument(1) int arrayLength) {
        if (arrayLength < 0) Inlay.deserialize(type);
    }
}
