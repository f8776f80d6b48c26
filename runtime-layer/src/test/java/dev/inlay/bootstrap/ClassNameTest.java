package dev.inlay.bootstrap;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The class name the bridge reads from bytes handed to {@code MethodHandles.Lookup.defineClass}. */
class ClassNameTest {
    /** Long and double constants take two constant pool entries; this class has both, and a nested name. */
    static final class Constants {
        static long big = 0x1234_5678_9abc_def0L;
        static double half = 0.123456789;
        static String text = "text";
    }

    private static byte[] classFile(Class<?> type) throws Exception {
        String resource = type.getName().substring(type.getPackageName().length() + 1) + ".class";
        try (InputStream in = type.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }

    @Test
    void readsThisClassFromTheConstantPool() throws Exception {
        assertEquals("dev.inlay.bootstrap.ClassNameTest$Constants", Inlay.className(classFile(Constants.class)));
        assertEquals("dev.inlay.bootstrap.Inlay", Inlay.className(classFile(Inlay.class)));
        assertEquals(
                "java.lang.String",
                Inlay.className(String.class.getResourceAsStream("String.class").readAllBytes()));
    }

    @Test
    void bytesThatAreNoClassFileHaveNoName() throws Exception {
        byte[] good = classFile(Constants.class);
        assertNull(Inlay.className(new byte[0]));
        assertNull(Inlay.className(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE}));
        for (int length = 0; length < good.length - 2; length += 7) {
            // Cut anywhere in the constant pool or before this_class: no name, no exception.
            byte[] cut = Arrays.copyOf(good, length);
            String name = Inlay.className(cut);
            if (name != null) assertEquals("dev.inlay.bootstrap.ClassNameTest$Constants", name);
        }
        byte[] notAClass = good.clone();
        notAClass[0] = 0;
        assertNull(Inlay.className(notAClass));
    }
}
