package dev.inlay.model;

import java.util.List;

/**
 * One parsed JSON object of the event stream, as a reader sees it: the profiler adapts its JSON library's tree to
 * this, and {@link Behavior#read} and {@link Event#read} turn it into the values the agent wrote.
 */
public interface FieldReader {
    /** The field's text (a number or boolean as written), or null when it is absent or null. */
    String text(String name);

    /** The field as a number, or {@code fallback} when it is absent or not a number. */
    long number(String name, long fallback);

    /** Whether the field is {@code true}. */
    boolean flag(String name);

    /** The field's elements as text, or null when it is absent; an element that is not text reads as empty. */
    List<String> texts(String name);
}
