import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Build step of the agent jar (runtime-layer/pom.xml): rewrites class files older than Java 6 (ASM ships Java 5 class
 * files) as Java 8 class files with stack map frames. The JVM checks Java 5 class files with its old inference
 * verifier, which took ~20 ms of every start on ASM's large methods; with frames the type-checking verifier is used.
 * Only the class file version and the frames change: ASM recomputes the frames (COMPUTE_FRAMES) from the code as is.
 *
 * <p>Usage: java -cp asm.jar UpgradeClassFiles.java DIR (every .class under DIR, in place). Run by the build, not
 * shipped.
 */
public final class UpgradeClassFiles {
    private static final int JAVA_6 = 50;

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        Map<String, byte[]> classes = new HashMap<>();
        Map<String, String> superNames = new HashMap<>();
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            ClassReader reader = new ClassReader(bytes);
            superNames.put(reader.getClassName(), reader.getSuperName());
            classes.put(file.toString(), bytes);
        }
        int upgraded = 0;
        for (Path file : files) {
            byte[] bytes = classes.get(file.toString());
            ClassReader reader = new ClassReader(bytes);
            int major = reader.readUnsignedShort(6);
            if (major >= JAVA_6) continue;
            ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
                @Override
                protected String getCommonSuperClass(String a, String b) {
                    List<String> ofA = new ArrayList<>();
                    for (String t = a; t != null; t = superOf(t, superNames)) ofA.add(t);
                    for (String t = b; t != null; t = superOf(t, superNames)) if (ofA.contains(t)) return t;
                    return "java/lang/Object";
                }
            };
            reader.accept(
                    new org.objectweb.asm.ClassVisitor(Opcodes.ASM9, writer) {
                        @Override
                        public void visit(
                                int version,
                                int access,
                                String name,
                                String signature,
                                String superName,
                                String[] interfaces) {
                            super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
                        }
                    },
                    0);
            Files.write(file, writer.toByteArray());
            upgraded++;
        }
        System.out.println("UpgradeClassFiles: " + upgraded + " of " + files.size() + " class files upgraded to Java 8"
                + " with stack map frames");
    }

    /** The superclass, from the classes being upgraded or else from the JDK; null above java/lang/Object. */
    private static String superOf(String type, Map<String, String> superNames) {
        if (superNames.containsKey(type)) return superNames.get(type);
        try {
            Class<?> c = Class.forName(type.replace('/', '.'), false, ClassLoader.getPlatformClassLoader());
            Class<?> s = c.isInterface() ? Object.class : c.getSuperclass();
            return s == null ? null : s.getName().replace('.', '/');
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("cannot resolve " + type + " to compute stack map frames", e);
        }
    }
}
