package dev.inlay.cli.profiler;

import dev.inlay.cli.common.OutputFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Writes a result to a file (atomically, so a failed run never leaves half a policy) or to the command's output. */
final class Outputs {
    private Outputs() {}

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
        OutputFiles.write(file, body::writeTo);
    }

    static void writeText(Path file, PrintWriter stdout, String text) throws IOException {
        write(file, stdout, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
