package io.driftguard.operators.functions;

import io.driftguard.operators.detect.PairedReferenceDetector;
import io.driftguard.operators.functions.WindowDriftFunction.Stored;
import io.driftguard.operators.sketch.ReservoirSketch;
import io.driftguard.operators.sketch.WindowSketch;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.MapState;

/**
 * The closed windows one key keeps for its reference policy, in the keyed map state {@code
 * closed-windows} (window index to {@link Stored} bytes), and the references read from them.
 *
 * <p>What is kept, per policy: {@code previous} the window just closed, {@code last-K} the last K
 * windows' sketches (merged into one reference when the next window closes); under the pooled
 * policies ({@code fixed}, {@code seasonal}) the detector keeps the reference rows itself, and of
 * the closed windows only MEDA's mu reads anything, the labelled reservoir of the fixed reference's
 * newest window or of the window a period back, so a labelled key keeps just those reservoirs and
 * an unlabelled key none.
 */
final class ClosedWindows {

    /** A reference read from the kept windows: one sketch and the span it covers. */
    record Reference(WindowSketch sketch, long start, long end) {}

    private final MapState<Long, byte[]> state;
    private final ReferencePolicy policy;

    ClosedWindows(MapState<Long, byte[]> state, ReferencePolicy policy) {
        this.state = state;
        this.policy = policy;
    }

    /** Whether the policy is decided by the key's pooled reference detector. */
    boolean pooled() {
        return policy.kind() == ReferencePolicy.Kind.FIXED || policy.kind() == ReferencePolicy.Kind.SEASONAL;
    }

    /**
     * Keeps what the policy will need of window {@code index} (spanning {@code [start, end)}) and
     * drops the windows no longer needed.
     */
    void keep(KeyMeta m, long index, long start, long end, WindowSketch w) throws Exception {
        boolean pooled = pooled();
        boolean seasonal = policy.kind() == ReferencePolicy.Kind.SEASONAL;
        if (!pooled || m.labelled && (seasonal || index == m.fixedIndex)) {
            byte[] kept = pooled ? w.reservoir().toBytes() : w.toBytes();
            state.put(index, new Stored(start, end, kept).toBytes());
        }
        // seasonal:P reads the window a period back at the next close; fixed keeps its reference
        // window by its index
        int keep = pooled ? (seasonal ? policy.windows() : 0) : policy.windowsToKeep();
        long keepFrom = index + 1 - keep;
        List<Long> drop = new ArrayList<>();
        for (Long k : state.keys()) {
            if (k < keepFrom && (k != m.fixedIndex || !m.labelled)) {
                drop.add(k);
            }
        }
        for (Long k : drop) {
            state.remove(k);
        }
    }

    /**
     * The reference of window {@code index} under {@code previous} (the window before it) or
     * {@code last-K} (the K windows before it merged), or null when none is kept.
     *
     * @throws IllegalStateException under a pooled policy, whose detector holds the reference
     */
    Reference reference(long index) throws Exception {
        switch (policy.kind()) {
            case PREVIOUS:
                return load(index - 1);
            case FIXED, SEASONAL:
                throw new IllegalStateException("the pooled reference detector serves " + policy);
            case LAST_K:
                List<Reference> loaded = new ArrayList<>();
                for (long i = Math.max(0, index - policy.windows()); i < index; i++) {
                    Reference r = load(i);
                    if (r != null) {
                        loaded.add(r);
                    }
                }
                List<WindowSketch> sketches = new ArrayList<>();
                for (Reference r : loaded) {
                    sketches.add(r.sketch);
                }
                int from = PairedReferenceDetector.mergeableFrom(sketches);
                Reference merged = null;
                for (Reference r : loaded.subList(Math.max(0, from), loaded.size())) {
                    if (merged == null) {
                        merged = r;
                    } else {
                        merged.sketch.merge(r.sketch);
                        merged = new Reference(merged.sketch, Math.min(merged.start, r.start), Math.max(merged.end, r.end));
                    }
                }
                return merged;
            default:
                throw new IllegalStateException("unknown reference policy " + policy);
        }
    }

    /**
     * The reservoir sample of closed window {@code index}, or null: stored alone (labelled keys of
     * the pooled policies) or inside the window's sketch (every other key, and state written before
     * labelled seasonal keys kept only the reservoir).
     */
    ReservoirSketch reservoir(long index) throws Exception {
        Stored st = stored(index);
        if (st == null) {
            return null;
        }
        byte[] bytes = st.bytes();
        return WindowSketch.isWindowSketch(bytes)
                ? WindowSketch.fromBytes(bytes).reservoir()
                : ReservoirSketch.fromBytes(bytes);
    }

    /** Closed window {@code index} as stored, or null. */
    private Stored stored(long index) throws Exception {
        byte[] b = index < 0 ? null : state.get(index);
        return b == null ? null : Stored.fromBytes(b);
    }

    private Reference load(long index) throws Exception {
        Stored st = stored(index);
        if (st == null || !WindowSketch.isWindowSketch(st.bytes())) {
            // none, or a labelled seasonal key's reservoir restored under another policy
            return null;
        }
        return new Reference(WindowSketch.fromBytes(st.bytes()), st.start(), st.end());
    }
}
