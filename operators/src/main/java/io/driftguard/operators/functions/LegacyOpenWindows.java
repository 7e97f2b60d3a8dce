package io.driftguard.operators.functions;

import io.driftguard.operators.sketch.WindowSketch;
import javax.annotation.Nullable;
import org.apache.flink.api.common.state.MapState;

/**
 * Open event-time windows as an earlier state layout kept them: the sketch in map state {@code
 * open-windows} and the change blocks in {@code open-window-blocks}. Such a window moves to the
 * current layout ({@link OpenWindow}, one entry) when it is next touched, once per window, so
 * savepoints of that layout restore and their cost is not per record.
 */
final class LegacyOpenWindows {

    private final MapState<Long, WindowSketch> sketches;
    private final MapState<Long, double[]> blocks;

    LegacyOpenWindows(MapState<Long, WindowSketch> sketches, MapState<Long, double[]> blocks) {
        this.sketches = sketches;
        this.blocks = blocks;
    }

    /** The open window at {@code start}, removed from the earlier layout; null when there is none. */
    @Nullable
    OpenWindow take(long start) throws Exception {
        WindowSketch sketch = sketches.get(start);
        if (sketch == null) {
            return null;
        }
        double[] b = blocks.get(start);
        sketches.remove(start);
        blocks.remove(start);
        return new OpenWindow(sketch, b);
    }
}
