package dev.inlay.runtime;

import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The pin's digest without the provider list is the JDK's SHA-256, byte for byte. */
class Sha256Test {
    @Test
    void equalsTheStandardLookupForEveryLength() throws Exception {
        Random random = new Random(7);
        for (int length = 0; length < 300; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            String expected = "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            assertEquals(expected, Sha256.of(bytes), "length " + length);
        }
        assertEquals("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Sha256.of(new byte[0]));
    }

    @Test
    void theJdkImplementationIsReachedWithoutTheProviderList() {
        assertEquals(
                "inlay-sha256",
                Sha256.digest().getProvider().getName(),
                "this JDK has no sun.security.provider.SHA2$SHA256: startup falls back to the provider list");
    }
}
