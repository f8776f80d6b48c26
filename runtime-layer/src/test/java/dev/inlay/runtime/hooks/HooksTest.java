package dev.inlay.runtime.hooks;

import dev.inlay.bootstrap.Inlay;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hook table against the running JDK (the build's, 17) and the bridge: every call resolves to a public static
 * bridge method whose parameters accept what is pushed, and every hooked class present here gets all its hooks. The
 * same on JDK 25, and the hooks' effect, are checked by CoverageIT in real JVMs with the agent.
 */
class HooksTest {
    private final Hooks hooks = new Hooks();

    @Test
    void everyBridgeCallNamesAPublicStaticMethodOfTheBridgeThatAcceptsTheLoads() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Hook hook : hooks.all()) {
            Method bridge = bridge(hook);
            if (bridge == null) {
                problems.add(hook + ": no bridge method " + hook.bridge() + hook.bridgeDescriptor());
                continue;
            }
            assertEquals(hook.loads().size(), bridge.getParameterCount(), hook.toString());
            Class<?> type = jdkClass(hook.type());
            if (type == null) continue; // java.lang.foreign on JDK 17: checked on 25 by CoverageIT
            Type[] arguments = Type.getArgumentTypes(hook.descriptor());
            // a bridge returns a value only to replace an argument of that type, and then must
            if (hook.replacesArg() < 0) {
                if (bridge.getReturnType() != void.class)
                    problems.add(hook + ": the bridge returns a value nobody stores");
            } else if (!classOf(arguments[hook.replacesArg()]).isAssignableFrom(bridge.getReturnType())) {
                problems.add(hook + ": the bridge returns " + bridge.getReturnType() + ", not an argument "
                        + hook.replacesArg() + " of " + arguments[hook.replacesArg()]);
            }
            for (int i = 0; i < hook.loads().size(); i++) {
                Hook.Load load = hook.loads().get(i);
                Class<?> parameter = bridge.getParameterTypes()[i];
                Class<?> pushed;
                if (load instanceof Hook.Arg arg) {
                    pushed = classOf(arguments[arg.index() < 0 ? arguments.length + arg.index() : arg.index()]);
                } else if (load instanceof Hook.This) {
                    pushed = type;
                } else if (load instanceof Hook.Field field) {
                    pushed = fieldType(type, field.name());
                    assertEquals(Type.getDescriptor(pushed), field.descriptor(), hook + " field " + field.name());
                } else if (load instanceof Hook.ArgField field) {
                    assertEquals(
                            type, classOf(arguments[field.index()]), hook + ": the argument is of the hooked class");
                    pushed = fieldType(type, field.name());
                    assertEquals(Type.getDescriptor(pushed), field.descriptor(), hook + " field " + field.name());
                } else if (load instanceof Hook.FieldCall call) {
                    Class<?> holder = fieldType(type, call.name());
                    assertEquals(Type.getDescriptor(holder), call.descriptor(), hook + " field " + call.name());
                    pushed = accessor(holder, call.method());
                    assertEquals(Type.getDescriptor(pushed), call.returnDescriptor(), hook + " " + call.method());
                } else {
                    pushed = parameter == boolean.class ? boolean.class : int.class;
                }
                if (!parameter.isAssignableFrom(pushed))
                    problems.add(hook + ": load " + i + " is " + pushed + ", not " + parameter);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyHookedTypeOfThisJdkGetsEachOfItsHooksAndNothingElseChanges() throws Exception {
        for (Map.Entry<String, List<Hook>> e : hooks.byType().entrySet()) {
            Class<?> type = jdkClass(e.getKey());
            if (type == null) continue;
            byte[] original = classFile(type);
            List<String> problems = new ArrayList<>();
            byte[] hooked = Injection.inject(original, e.getValue(), problems);
            assertTrue(problems.isEmpty(), e.getKey() + ": " + problems);
            assertNotNull(hooked, e.getKey());
            List<MethodCode> before = methods(original);
            List<MethodCode> after = methods(hooked);
            assertEquals(before.size(), after.size(), e.getKey());
            for (int i = 0; i < before.size(); i++) {
                MethodCode was = before.get(i);
                StringBuilder calls = new StringBuilder();
                for (Hook hook : e.getValue()) {
                    if (hook.method().equals(was.name())
                            && hook.descriptor().equals(was.descriptor())
                            && (was.access() & hook.access()) == hook.access()) {
                        for (Hook.Load load : hook.loads()) {
                            if (load instanceof Hook.FieldCall call) {
                                calls.append(' ')
                                        .append(Type.getType(call.descriptor()).getInternalName())
                                        .append('.')
                                        .append(call.method())
                                        .append("()")
                                        .append(call.returnDescriptor());
                            }
                        }
                        calls.append(' ')
                                .append(Injection.BRIDGE)
                                .append('.')
                                .append(hook.bridge())
                                .append(hook.bridgeDescriptor());
                    }
                }
                assertEquals(
                        new MethodCode(was.access(), was.name(), was.descriptor(), calls + was.calls()),
                        after.get(i),
                        e.getKey());
            }
        }
    }

    @Test
    void aHookWhoseMethodIsGoneIsReportedNotSkippedSilently() throws Exception {
        Hook missing = new Hook(
                "java/io/FileInputStream",
                "open",
                "(Ljava/lang/String;I)V",
                0,
                "open(String,int)",
                "file",
                "(ILjava/lang/String;)V",
                List.of(new Hook.Constant(1), new Hook.Arg(0)));
        List<String> problems = new ArrayList<>();
        byte[] result = Injection.inject(classFile(java.io.FileInputStream.class), List.of(missing), problems);
        assertEquals(null, result);
        assertEquals(List.of("no method open(String,int) to hook"), problems);
    }

    /** A method and the methods it calls, in order. */
    record MethodCode(int access, String name, String descriptor, String calls) {}

    private static List<MethodCode> methods(byte[] classFile) {
        List<MethodCode> out = new ArrayList<>();
        new ClassReader(classFile)
                .accept(
                        new ClassVisitor(Opcodes.ASM9) {
                            @Override
                            public MethodVisitor visitMethod(
                                    int access, String name, String descriptor, String signature, String[] exceptions) {
                                StringBuilder calls = new StringBuilder();
                                return new MethodVisitor(Opcodes.ASM9) {
                                    @Override
                                    public void visitMethodInsn(
                                            int opcode, String owner, String method, String desc, boolean itf) {
                                        calls.append(' ')
                                                .append(owner)
                                                .append('.')
                                                .append(method)
                                                .append(desc);
                                    }

                                    @Override
                                    public void visitEnd() {
                                        out.add(new MethodCode(access, name, descriptor, calls.toString()));
                                    }
                                };
                            }
                        },
                        0);
        return out;
    }

    private static Method bridge(Hook hook) {
        for (Method m : Inlay.class.getMethods()) {
            if (m.getName().equals(hook.bridge())
                    && Type.getMethodDescriptor(m).equals(hook.bridgeDescriptor())
                    && Modifier.isStatic(m.getModifiers())) {
                return m;
            }
        }
        return null;
    }

    private static Class<?> jdkClass(String internalName) {
        try {
            return Class.forName(internalName.replace('/', '.'), false, null);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    private static Class<?> classOf(Type type) throws ClassNotFoundException {
        return switch (type.getSort()) {
            case Type.INT -> int.class;
            case Type.BOOLEAN -> boolean.class;
            case Type.LONG -> long.class;
            default ->
                Class.forName(
                        type.getSort() == Type.ARRAY ? type.getDescriptor().replace('/', '.') : type.getClassName(),
                        false,
                        null);
        };
    }

    private static Class<?> fieldType(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredField(name).getType();
            } catch (NoSuchFieldException e) {
                // inherited: look further up
            }
        }
        throw new NoSuchFieldException(type + "." + name);
    }

    /** The return type of a no-argument method the type declares or inherits. */
    private static Class<?> accessor(Class<?> type, String name) throws NoSuchMethodException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredMethod(name).getReturnType();
            } catch (NoSuchMethodException e) {
                // inherited: look further up
            }
        }
        throw new NoSuchMethodException(type + "." + name + "()");
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        try (InputStream in =
                type.getModule().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            assertNotNull(in, type.getName());
            return in.readAllBytes();
        }
    }
}
