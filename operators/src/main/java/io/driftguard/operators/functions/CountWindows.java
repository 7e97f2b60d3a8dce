package io.driftguard.operators.functions;

import io.driftguard.operators.detect.ChangeBlocks;
import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.record.SeriesRecord;
import io.driftguard.operators.sketch.WindowSketch;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.util.Collector;

/**
 * Count windows: a key's window closes with its N-th record (a trailing partial window is not
 * evaluated). The open window's sketch is in value state {@code open-window}; its record count,
 * first and latest times and change blocks are in {@link KeyMeta}, so a record costs one state read
 * and one write.
 */
final class CountWindows {

    private final ValueState<WindowSketch> open;
    private final DriftSettings settings;
    private final WindowSink sink;

    CountWindows(ValueState<WindowSketch> open, DriftSettings settings, WindowSink sink) {
        this.open = open;
        this.settings = settings;
        this.sink = sink;
    }

    /** Adds record {@code r} to the key's open window, closing it at its N-th record. */
    void add(String key, KeyMeta m, SeriesRecord r, double label, Collector<DriftEvent> out) throws Exception {
        WindowSketch w = open.value();
        if (w == null || m.openCount == 0) {
            w = sink.newSketch(m, key);
            m.openCount = 0;
            m.openStart = r.ts();
            m.openBlocks = m.refMean != null && settings.sketchesEnabled()
                    ? ChangeLocation.newBlocks(m, settings.embedding())
                    : null;
        }
        sink.update(w, r, label);
        if (m.openBlocks != null) {
            ChangeLocation.add(m.openBlocks, settings.window().blockOf(m.openCount, ChangeBlocks.BLOCKS), m, r,
                    settings.embedding());
        }
        m.openCount++;
        m.openLast = Math.max(m.openLast, r.ts());
        if (m.openCount >= settings.window().size()) {
            long start = m.openStart;
            long end = WindowSpec.saturatedAdd(m.openLast, 1);
            m.openCount = 0;
            open.clear();
            double[] blocks = m.openBlocks;
            m.openBlocks = null;
            sink.close(key, m, w, start, end, blocks, out);
        } else {
            open.update(w);
        }
    }

    /**
     * Closes the count window a key had open when the job was restored with a duration as its
     * window: evaluated at the key's first timer, ahead of its time windows, and removed, so that
     * the change of window kind loses no records and leaves no state behind. One state read per
     * timer otherwise.
     */
    void closeLeftOver(String key, KeyMeta m, Collector<DriftEvent> out) throws Exception {
        WindowSketch w = open.value();
        if (w == null) {
            return;
        }
        open.clear();
        if (m != null && m.openCount > 0) {
            double[] blocks = m.openBlocks;
            m.openBlocks = null;
            m.openCount = 0;
            sink.close(key, m, w, m.openStart, WindowSpec.saturatedAdd(m.openLast, 1), blocks, out);
        }
    }
}
