package io.driftguard.connectors.parse;

import io.driftguard.connectors.serde.Timestamps;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * Keeps times far ahead of a stream's progress from reaching the watermark.
 *
 * <p>The watermark downstream of a parser follows the largest time it has seen, so one record
 * dated 99999999999999 among records of 2023 would make every later record late. A parser
 * instance therefore admits a record only when its time is at most {@code maxLead} ahead of its
 * reference:
 *
 * <ul>
 *   <li>the newest time admitted for the record's key, once the key has one;
 *   <li>else the newest time this instance admitted for any key.
 * </ul>
 *
 * Records at or behind the reference are always admitted (lateness is the window operator's
 * concern). Every decision depends only on the order in which this instance sees records, which
 * keeps it reproducible wherever that order is (a key's records in a file or a Kafka partition).
 *
 * <p>A real jump in a key's time (a sensor back after an outage longer than {@code maxLead})
 * is confirmed by the key's next record: the jump's first record is rejected, and a following
 * record of the key that is also beyond the lead, but within {@code maxLead} of the rejected one,
 * is admitted and becomes the key's new reference. So an absurd time costs its own record only,
 * and a genuine gap costs one record.
 *
 * <p>Keys are remembered up to {@code maxKeys}, least recently seen first out; a forgotten key
 * is compared with the instance's newest time again. Not thread-safe, not checkpointed: one per
 * operator subtask, starting afresh after a restore.
 */
public final class TimeGuard {

    /** Default largest lead of a record over its reference: one day, in milliseconds. */
    public static final long DEFAULT_MAX_LEAD_MILLIS = 86_400_000L;

    /** Default number of keys whose newest time an instance remembers. */
    public static final int DEFAULT_MAX_KEYS = 65_536;

    private static final long NONE = Long.MIN_VALUE;

    private final long maxLead;
    private final Map<String, long[]> keys;
    private long newest = NONE;

    /**
     * @param maxLeadMillis largest admitted lead over the reference; {@code Long.MAX_VALUE} admits
     *     every time
     * @param maxKeys keys remembered at most
     */
    public TimeGuard(long maxLeadMillis, int maxKeys) {
        if (maxLeadMillis < 0) {
            throw new IllegalArgumentException("max lead must not be negative, got " + maxLeadMillis);
        }
        if (maxKeys < 1) {
            throw new IllegalArgumentException("max keys must be positive, got " + maxKeys);
        }
        this.maxLead = maxLeadMillis;
        this.keys = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /** A guard with the default lead and key capacity. */
    public TimeGuard() {
        this(DEFAULT_MAX_LEAD_MILLIS, DEFAULT_MAX_KEYS);
    }

    /** The largest admitted lead, in milliseconds. */
    public long maxLead() {
        return maxLead;
    }

    /** Whether this instance has admitted a time yet (and so has a reference for every key). */
    public boolean hasReference() {
        return newest != NONE;
    }

    /** Whether {@code ts} is more than the lead ahead of {@code reference}. */
    public boolean isAhead(long ts, long reference) {
        if (ts <= reference) {
            return false;
        }
        long d = ts - reference;
        return d < 0 || d > maxLead; // d < 0: the difference overflowed, so it exceeds any lead
    }

    /**
     * Admits a record's time, remembering it, or says why not.
     *
     * @return null when admitted, else the one-line reason
     */
    @Nullable
    public String admit(String key, long ts) {
        long[] k = keys.get(key); // {newest admitted, last rejected as ahead}
        boolean own = k != null && k[0] != NONE;
        long reference = own ? k[0] : newest;
        if (reference == NONE || !isAhead(ts, reference)
                || k != null && k[1] != NONE && !isAhead(ts, k[1]) && !isAhead(k[1], ts)) {
            if (k == null) {
                k = new long[] {ts, NONE};
                keys.put(key, k);
            } else {
                k[0] = k[0] == NONE ? ts : Math.max(k[0], ts);
                k[1] = NONE;
            }
            newest = newest == NONE ? ts : Math.max(newest, ts);
            return null;
        }
        if (k == null) {
            keys.put(key, new long[] {NONE, ts});
        } else {
            k[1] = ts;
        }
        return "time " + describe(ts) + " is more than " + duration(maxLead) + " ahead of "
                + (own ? "the key's newest accepted time " : "the newest accepted time ")
                + describe(reference);
    }

    /** Epoch milliseconds with their instant, when they are one. */
    static String describe(long ms) {
        return ms >= Timestamps.MIN_EPOCH_MILLIS && ms <= Timestamps.MAX_EPOCH_MILLIS
                ? ms + " (" + Timestamps.format(ms) + ")"
                : Long.toString(ms);
    }

    /** A lead in the largest whole unit. */
    static String duration(long ms) {
        if (ms % 86_400_000L == 0 && ms > 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0 && ms > 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0 && ms > 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1_000L == 0 && ms > 0) {
            return ms / 1_000L + "s";
        }
        return ms + "ms";
    }
}
