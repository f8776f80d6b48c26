package dev.inlay.runtime.hooks;

import java.lang.reflect.Modifier;
import java.util.List;

/**
 * One hooked JDK method: at its first instruction, a static call into the bridge {@code dev.inlay.bootstrap.Inlay}
 * with some of the method's arguments, its receiver, a field of the receiver (or what a no-argument method of that
 * field returns) or constants. The injected code has no branches and leaves the operand stack as it found it, so the
 * method's stack map frames stay valid as they are.
 *
 * @param type       internal name of the JDK class, e.g. {@code java/io/FileInputStream}
 * @param method     method name
 * @param descriptor exact method descriptor: a funnel whose signature changed in a JDK release gets one hook per shape
 * @param access     modifiers the method must have (e.g. {@link Modifier#PRIVATE} to skip a same-shaped delegate)
 * @param group      hooks of one type sharing a group stand for each other across JDK releases; at least one of them
 *                   must be found when the type is transformed, or the installation reports an error
 * @param bridge     the bridge method's name
 * @param bridgeDescriptor the bridge method's descriptor; the loads must fit its parameters in order
 * @param loads      the values passed, in order
 * @param replacesArg -1, or the argument the bridge method's return value is stored into before the method runs (the
 *                   bridge hands back a copy it decided on, so that what is checked is what the JDK uses)
 */
record Hook(
        String type,
        String method,
        String descriptor,
        int access,
        String group,
        String bridge,
        String bridgeDescriptor,
        List<Load> loads,
        int replacesArg) {

    /** A hook whose bridge method returns nothing. */
    Hook(
            String type,
            String method,
            String descriptor,
            int access,
            String group,
            String bridge,
            String bridgeDescriptor,
            List<Load> loads) {
        this(type, method, descriptor, access, group, bridge, bridgeDescriptor, loads, -1);
    }

    /** A value pushed for the bridge call. */
    sealed interface Load permits Arg, This, Field, ArgField, FieldCall, Constant {}

    /** Argument {@code index} of the hooked method; negative counts from the end (-1 is the last). */
    record Arg(int index) implements Load {}

    /** The receiver. */
    record This() implements Load {}

    /** An instance field of the receiver, possibly inherited; {@code descriptor} is its type. */
    record Field(String name, String descriptor) implements Load {}

    /**
     * An instance field of argument {@code index}, an object of the hooked class: {@code File.renameTo(dest)} reads
     * {@code dest.path}, which a subclass cannot fake as it can {@code getPath()}. A null argument throws
     * NullPointerException at the method's entry, as the method itself would.
     */
    record ArgField(int index, String name, String descriptor) implements Load {}

    /**
     * What a no-argument method returns when called on an instance field of the receiver, {@code this.field.method()}:
     * a package-private accessor of another JDK class, which the bridge could not call.
     */
    record FieldCall(String name, String descriptor, String method, String returnDescriptor) implements Load {}

    /** An int (or boolean) constant. */
    record Constant(int value) implements Load {}

    @Override
    public String toString() {
        return type.replace('/', '.') + "." + method + descriptor;
    }
}
