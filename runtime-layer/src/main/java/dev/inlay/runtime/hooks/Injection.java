package dev.inlay.runtime.hooks;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Hooks a class file with ASM: each hook's bridge call at the entry of its method; other methods are copied as is. */
final class Injection {
    static final String BRIDGE = "dev/inlay/bootstrap/Inlay";

    private Injection() {}

    /**
     * Runs ASM once over a class of the agent's own (the transformer), hooking one of its methods, and throws the
     * result away: ASM's classes are loaded and initialized before the first JDK class is hooked with them.
     */
    static void warmUp() throws IOException {
        byte[] own;
        try (InputStream in = EntryCalls.class.getResourceAsStream("EntryCalls.class")) {
            if (in == null) return;
            own = in.readAllBytes();
        }
        Hook hook = new Hook(
                "dev/inlay/runtime/hooks/EntryCalls",
                "transform",
                "(Ljava/lang/ClassLoader;" + "Ljava/lang/String;Ljava/lang/Class;Ljava/security/ProtectionDomain;[B)[B",
                0,
                "transform",
                "define",
                "(Ljava/lang/ClassLoader;Ljava/lang/String;Ljava/security/ProtectionDomain;)V",
                List.of(new Hook.Arg(0), new Hook.Arg(1), new Hook.Arg(3)));
        inject(own, List.of(hook), new ArrayList<>());
    }

    /** The rewritten class, or null if no hook applied; each hook group found nowhere is added to problems. */
    static byte[] inject(byte[] bytes, List<Hook> hooks, List<String> problems) {
        ClassReader reader = new ClassReader(bytes);
        ClassWriter writer = new ClassWriter(reader, 0);
        Injector injector = new Injector(writer, hooks);
        reader.accept(injector, 0);
        Set<String> missing = new LinkedHashSet<>();
        for (Hook hook : hooks) missing.add(hook.group());
        for (Hook hook : injector.applied) missing.remove(hook.group());
        for (String group : missing) problems.add("no method " + group + " to hook");
        problems.addAll(injector.problems);
        return injector.applied.isEmpty() ? null : writer.toByteArray();
    }

    private static final class Injector extends ClassVisitor {
        private final List<Hook> hooks;
        private final Map<String, String> fields = new HashMap<>();
        private final List<Hook> applied = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private String owner;

        Injector(ClassVisitor next, List<Hook> hooks) {
            super(Opcodes.ASM9, next);
            this.hooks = hooks;
        }

        @Override
        public void visit(
                int version, int access, String name, String signature, String superName, String[] interfaces) {
            owner = name;
            super.visit(version, access, name, signature, superName, interfaces);
        }

        /** Fields come before methods in a class file, so a field load can check the declared type. */
        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            if ((access & Opcodes.ACC_STATIC) == 0) fields.put(name, descriptor);
            return super.visitField(access, name, descriptor, signature, value);
        }

        @Override
        public MethodVisitor visitMethod(
                int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
            if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) return next;
            List<Hook> here = new ArrayList<>();
            for (Hook hook : hooks) {
                if (hook.method().equals(name)
                        && hook.descriptor().equals(descriptor)
                        && (access & hook.access()) == hook.access()
                        && fits(hook)) {
                    here.add(hook);
                }
            }
            if (here.isEmpty()) return next;
            applied.addAll(here);
            return new EntryCall(next, (access & Opcodes.ACC_STATIC) != 0, owner, descriptor, here);
        }

        /** A field load names a field this class declares with that type, or one it inherits (checked by tests). */
        private boolean fits(Hook hook) {
            for (Hook.Load load : hook.loads()) {
                if (load instanceof Hook.Field field) {
                    String declared = fields.get(field.name());
                    if (declared != null && !declared.equals(field.descriptor())) {
                        problems.add(
                                hook + ": field " + field.name() + " is " + declared + ", not " + field.descriptor());
                        return false;
                    }
                }
            }
            return true;
        }
    }

    /** Emits the loads and the static call before the method's first instruction. */
    private static final class EntryCall extends MethodVisitor {
        private final boolean isStatic;
        private final String owner;
        private final Type[] arguments;
        private final List<Hook> hooks;
        private int stackNeeded;

        EntryCall(MethodVisitor next, boolean isStatic, String owner, String descriptor, List<Hook> hooks) {
            super(Opcodes.ASM9, next);
            this.isStatic = isStatic;
            this.owner = owner;
            this.arguments = Type.getArgumentTypes(descriptor);
            this.hooks = hooks;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            for (Hook hook : hooks) {
                int words = 0;
                for (Hook.Load load : hook.loads()) words += push(load);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, hook.bridge(), hook.bridgeDescriptor(), false);
                if (hook.replacesArg() >= 0) {
                    // the bridge's copy becomes the argument; the local keeps its declared type, so frames stay valid
                    int slot = isStatic ? 0 : 1;
                    for (int i = 0; i < hook.replacesArg(); i++) slot += arguments[i].getSize();
                    super.visitVarInsn(Opcodes.ASTORE, slot);
                }
                stackNeeded = Math.max(stackNeeded, words);
            }
        }

        private int push(Hook.Load load) {
            if (load instanceof Hook.Arg arg) {
                int index = arg.index() < 0 ? arguments.length + arg.index() : arg.index();
                int slot = isStatic ? 0 : 1;
                for (int i = 0; i < index; i++) slot += arguments[i].getSize();
                Type type = arguments[index];
                super.visitVarInsn(type.getOpcode(Opcodes.ILOAD), slot);
                return type.getSize();
            }
            if (load instanceof Hook.This) {
                super.visitVarInsn(Opcodes.ALOAD, 0);
                return 1;
            }
            if (load instanceof Hook.Field field) {
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitFieldInsn(Opcodes.GETFIELD, owner, field.name(), field.descriptor());
                return Type.getType(field.descriptor()).getSize();
            }
            if (load instanceof Hook.ArgField field) {
                int slot = isStatic ? 0 : 1;
                for (int i = 0; i < field.index(); i++) slot += arguments[i].getSize();
                super.visitVarInsn(Opcodes.ALOAD, slot);
                super.visitFieldInsn(Opcodes.GETFIELD, owner, field.name(), field.descriptor());
                return Type.getType(field.descriptor()).getSize();
            }
            if (load instanceof Hook.FieldCall call) {
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitFieldInsn(Opcodes.GETFIELD, owner, call.name(), call.descriptor());
                super.visitMethodInsn(
                        Opcodes.INVOKEVIRTUAL,
                        Type.getType(call.descriptor()).getInternalName(),
                        call.method(),
                        "()" + call.returnDescriptor(),
                        false);
                return Type.getType(call.returnDescriptor()).getSize();
            }
            int value = ((Hook.Constant) load).value();
            if (value >= -1 && value <= 5) {
                super.visitInsn(Opcodes.ICONST_0 + value);
            } else if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
                super.visitIntInsn(Opcodes.BIPUSH, value);
            } else {
                super.visitLdcInsn(value);
            }
            return 1;
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(Math.max(maxStack, stackNeeded), maxLocals);
        }
    }
}
