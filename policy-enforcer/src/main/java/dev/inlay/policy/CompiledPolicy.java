package dev.inlay.policy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compiled form of a policy: what {@code inlay wrap} bakes into an image next to the YAML, so that the agent does
 * not load a YAML parser and bind a document before the application's main() (docs/POLICY.md). It holds the same
 * model as the document and nothing more; the YAML stays the form people read and review.
 *
 * <p>A {@link DataOutputStream} record: magic, format version, then the policy with every enum by its document name
 * (not its ordinal, so that reordering an enum cannot change a compiled policy's meaning). Reading checks everything
 * the parser checks (names, operations and selectors of each category, patterns in canonical form, unique rule ids) and
 * that nothing follows the policy: a damaged file is refused, never half-read.
 */
public final class CompiledPolicy {
    /** "INLP". */
    static final int MAGIC = 0x494e4c50;

    static final int FORMAT = 1;

    private CompiledPolicy() {}

    /** @throws IllegalArgumentException for a string longer than the format holds (65,535 bytes of modified UTF-8) */
    public static byte[] write(Policy policy) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(policy.name());
            out.writeInt(policy.labels().size());
            for (Map.Entry<String, String> label : policy.labels().entrySet()) {
                out.writeUTF(label.getKey());
                out.writeUTF(label.getValue());
            }
            out.writeUTF(policy.mode().wireName());
            out.writeBoolean(policy.failOpen());
            out.writeInt(policy.explicitDefaults().size());
            for (Map.Entry<Category, Action> d : policy.explicitDefaults().entrySet()) {
                out.writeUTF(d.getKey().yamlName());
                out.writeUTF(d.getValue().wireName());
            }
            out.writeInt(policy.rules().size());
            for (Rule rule : policy.rules()) {
                out.writeUTF(rule.id());
                out.writeUTF(rule.category().yamlName());
                out.writeUTF(rule.action().wireName());
                out.writeInt(rule.operations().size());
                for (Operation op : rule.operations()) out.writeUTF(op.wireName());
                out.writeInt(rule.selectors().size());
                for (Map.Entry<Selector, List<String>> s : rule.selectors().entrySet()) {
                    out.writeUTF(s.getKey().yamlName());
                    out.writeInt(s.getValue().size());
                    for (String value : s.getValue()) out.writeUTF(value);
                }
            }
        } catch (UTFDataFormatException e) {
            throw new IllegalArgumentException("policy " + policy.name() + " has a string too long to compile", e);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** @throws PolicyException when the bytes are not a whole, valid compiled policy of this format */
    public static Policy read(byte[] bytes, String source) throws PolicyException {
        BigEndianInput in = new BigEndianInput(bytes);
        Reader reader = new Reader(in, bytes.length, source);
        try {
            Policy policy = reader.policy();
            if (in.available() > 0) throw reader.damaged(in.available() + " bytes after the policy");
            return policy;
        } catch (IOException e) {
            throw reader.damaged("it ends early (" + e + ")");
        }
    }

    private record Reader(BigEndianInput in, int length, String source) {
        Policy policy() throws IOException, PolicyException {
            if (length < 8 || in.readInt() != MAGIC) {
                throw new PolicyException(source, 0, 0, "not a compiled inlay policy", "inlay wrap writes it");
            }
            int format = in.readInt();
            if (format != FORMAT) {
                throw new PolicyException(
                        source,
                        0,
                        0,
                        "compiled policy format " + format + ", this agent reads " + FORMAT,
                        "wrap the image again with the inlay version of this agent");
            }
            Policy.Builder policy = Policy.builder(in.readUTF());
            for (int i = count(); i > 0; i--) policy.label(in.readUTF(), in.readUTF());
            policy.mode(named(Mode.fromWire(in.readUTF()), "mode"));
            policy.failOpen(in.readBoolean());
            for (int i = count(); i > 0; i--) {
                policy.defaultAction(
                        named(Category.fromYaml(in.readUTF()), "category"),
                        named(Action.fromWire(in.readUTF()), "action"));
            }
            Set<String> ids = new HashSet<>();
            for (int i = count(); i > 0; i--) {
                Rule rule = rule();
                if (!ids.add(rule.id())) throw damaged("rule id " + rule.id() + " twice");
                policy.rule(rule);
            }
            return policy.build();
        }

        private Rule rule() throws IOException, PolicyException {
            String id = in.readUTF();
            if (!RuleIds.isValid(id)) throw damaged("invalid rule id '" + id + "'");
            Category category = named(Category.fromYaml(in.readUTF()), "category");
            Action action = named(Action.fromWire(in.readUTF()), "action");
            Set<Operation> operations = EnumSet.noneOf(Operation.class);
            for (int i = count(); i > 0; i--) {
                Operation op = named(Operation.fromWire(in.readUTF()), "operation");
                if (!category.operations().contains(op))
                    throw damaged(op.wireName() + " in a " + category.yamlName() + " rule");
                operations.add(op);
            }
            Map<Selector, List<String>> selectors = new EnumMap<>(Selector.class);
            for (int i = count(); i > 0; i--) {
                Selector selector = named(Selector.fromYaml(in.readUTF()), "selector");
                if (!category.selectors().contains(selector) || selectors.containsKey(selector)) {
                    throw damaged(selector.yamlName() + " in rule " + id);
                }
                List<String> values = new ArrayList<>();
                for (int v = count(); v > 0; v--) {
                    String value = in.readUTF();
                    if (Patterns.check(selector, value) != null
                            || !Patterns.canonical(selector, value).equals(value)) {
                        throw damaged("bad " + selector.yamlName() + " value '" + value + "' in rule " + id);
                    }
                    values.add(value);
                }
                if (values.isEmpty() && selector != Selector.ARGS)
                    throw damaged("empty " + selector.yamlName() + " in rule " + id);
                selectors.put(selector, values);
            }
            if (category.selectors().contains(Selector.PATHS) && !selectors.containsKey(Selector.PATHS)) {
                throw damaged("rule " + id + " has no paths");
            }
            return new Rule(id, category, action, operations, selectors);
        }

        /** A count, which cannot exceed the bytes left: a damaged count must not allocate gigabytes. */
        private int count() throws IOException, PolicyException {
            int n = in.readInt();
            if (n < 0 || n > in.available())
                throw damaged("a count of " + n + " with " + in.available() + " bytes left");
            return n;
        }

        private <T> T named(T value, String what) throws PolicyException {
            if (value == null) throw damaged("unknown " + what);
            return value;
        }

        PolicyException damaged(String why) {
            return new PolicyException(
                    source,
                    0,
                    0,
                    "compiled policy is damaged: " + why,
                    "wrap the image again; the YAML next to it is the policy it was compiled from");
        }
    }
}
