package io.driftguard.operators.functions;

import io.driftguard.operators.detect.ChangeBlocks;
import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.record.SeriesRecord;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;

/**
 * Tumbling event-time windows aligned to the epoch: a window closes at an event-time timer at its
 * end - 1, when the watermark passes it. An open window is one entry of map state {@code
 * open-time-windows} (its sketch and change blocks, {@link OpenWindow}); windows of the earlier
 * two-map layout move there when next touched ({@link LegacyOpenWindows}).
 */
final class TimeWindows {

    private final MapState<Long, OpenWindow> open;
    private final LegacyOpenWindows legacy;
    private final DriftSettings settings;
    private final WindowSink sink;

    TimeWindows(MapState<Long, OpenWindow> open, LegacyOpenWindows legacy, DriftSettings settings, WindowSink sink) {
        this.open = open;
        this.legacy = legacy;
        this.settings = settings;
        this.sink = sink;
    }

    /**
     * Adds record {@code r} to its window; returns why it was not added (its window was already
     * evaluated), or null.
     */
    @Nullable
    String add(String key, KeyMeta m, SeriesRecord r, double label, TimerService timers) throws Exception {
        WindowSpec spec = settings.window();
        long start = spec.windowStart(r.ts());
        long end = spec.windowEnd(start);
        if (end - 1 <= timers.currentWatermark()) {
            return "late: window [" + start + ", " + end + ") was already evaluated";
        }
        OpenWindow w = open.get(start);
        if (w == null) {
            w = legacy.take(start);
            if (w == null) {
                w = new OpenWindow(sink.newSketch(m, key), null);
                timers.registerEventTimeTimer(end - 1);
            }
        }
        sink.update(w.sketch, r, label);
        if (m.refMean != null && settings.sketchesEnabled()) {
            if (w.blocks == null) {
                w.blocks = ChangeLocation.newBlocks(m, settings.embedding());
            }
            ChangeLocation.add(w.blocks, spec.blockOf(r.ts() - start, ChangeBlocks.BLOCKS), m, r, settings.embedding());
        }
        open.put(start, w);
        return null;
    }

    /** The timer at {@code timestamp} (a window's end - 1): closes that window, if open. */
    void closeAt(long timestamp, String key, KeyMeta m, Collector<DriftEvent> out) throws Exception {
        WindowSpec spec = settings.window();
        // timers sit at a window's end - 1, and no end exceeds Long.MAX_VALUE
        long start = spec.startOfWindowEndingAt(WindowSpec.saturatedAdd(timestamp, 1));
        OpenWindow w = open.get(start);
        if (w == null) {
            w = legacy.take(start);
        } else {
            open.remove(start);
        }
        if (w != null) {
            sink.close(key, m, w.sketch, start, spec.windowEnd(start), w.blocks, out);
        }
    }

    /**
     * Open windows of another size, left by a restore with another {@code drift.window.size} (or
     * kind): those whose end under {@code size} has passed close now (reported as ending at this
     * timer, an upper bound of their records' times), the others get the timer of that end when
     * {@code reschedule}. In a job that kept its window size every earlier window has closed at
     * its own timer, so this finds nothing, at the cost of reading the key's one or two
     * open-window keys.
     */
    void closeStrays(long timestamp, long size, boolean reschedule, String key, KeyMeta m, TimerService timers,
            Collector<DriftEvent> out) throws Exception {
        List<Long> starts = new ArrayList<>();
        for (Long s : open.keys()) {
            starts.add(s);
        }
        starts.sort(null);
        for (long s : starts) {
            long due = WindowSpec.saturatedAdd(s, size) - 1;
            if (due <= timestamp) {
                OpenWindow stray = open.get(s);
                open.remove(s);
                sink.close(key, m, stray.sketch, s, WindowSpec.saturatedAdd(timestamp, 1), stray.blocks, out);
            } else if (reschedule) {
                timers.registerEventTimeTimer(due);
            }
        }
    }
}
