package dev.inlay.profiler.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a result to a file (atomically, so a failed run never leaves half a policy) or to the command's output. */
final class Outputs {
    private Outputs() {
    }

    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    static void write(Path file, PrintWriter stdout, Body body) throws IOException {
        if (file == null) {
            java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
            body.writeTo(buf);
            stdout.print(buf.toString(StandardCharsets.UTF_8));
            stdout.flush();
            return;
        }
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                body.writeTo(out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static void writeText(Path file, PrintWriter stdout, String text) throws IOException {
        write(file, stdout, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
