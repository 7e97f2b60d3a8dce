package io.driftguard.operators.functions;

import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.record.SeriesRecord;
import io.driftguard.operators.sketch.WindowSketch;
import org.apache.flink.util.Collector;

/** What a window cutter needs from the function that owns it: fresh sketches, updates, closes. */
interface WindowSink {

    /** A fresh window's sketch for the key. */
    WindowSketch newSketch(KeyMeta m, String key);

    /** Adds record {@code r} (label code {@code label}) to sketch {@code w}. */
    void update(WindowSketch w, SeriesRecord r, double label);

    /** Evaluates the closed window {@code [start, end)} and emits its event, if any. */
    void close(String key, KeyMeta m, WindowSketch w, long start, long end, double[] blocks, Collector<DriftEvent> out)
            throws Exception;
}
