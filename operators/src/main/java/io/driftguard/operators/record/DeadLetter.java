package io.driftguard.operators.record;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An input that could not be used, kept with the reason so that nothing is lost silently.
 *
 * @param source where the input came from: {@code topic/partition@offset} or {@code file:line}
 * @param reason a one-line human-readable reason, e.g. {@code "non-numeric value 'x' in column temp"}
 * @param raw the input bytes exactly as received
 */
public record DeadLetter(String source, String reason, byte[] raw) {

    public DeadLetter {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(raw, "raw");
    }

    /** Creates a dead letter for a text input. */
    public static DeadLetter ofText(String source, String reason, String rawText) {
        return new DeadLetter(source, reason, rawText.getBytes(StandardCharsets.UTF_8));
    }

    /** Returns the raw input decoded as UTF-8 (malformed bytes become U+FFFD). */
    public String rawText() {
        return new String(raw, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeadLetter that
                && source.equals(that.source)
                && reason.equals(that.reason)
                && Arrays.equals(raw, that.raw);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(source, reason) + Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "DeadLetter{source=" + source + ", reason=" + reason + ", raw=" + rawText() + '}';
    }
}
