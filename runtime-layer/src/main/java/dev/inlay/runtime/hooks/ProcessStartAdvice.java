package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import net.bytebuddy.asm.Advice;

/** {@code ProcessImpl.start}: ProcessBuilder.start and Runtime.exec. */
public final class ProcessStartAdvice {
    private ProcessStartAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) String[] command, @Advice.Argument(1) java.util.Map<String, String> environment, @Advice.Argument(2) String directory) {
        Inlay.exec(command, directory, environment);
    }
}
