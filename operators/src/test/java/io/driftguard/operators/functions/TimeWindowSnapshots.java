package io.driftguard.operators.functions;

import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.record.SeriesRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;

/**
 * A fixed stream of two keys in one-second event-time windows (reference {@code previous}), cut
 * while two windows of each key are open, and golden snapshots of {@link WindowDriftFunction}
 * taken at that cut by released state layouts, which every later version must restore.
 *
 * <p>Run {@code main} with the test resources directory as argument to write the missing ones (a
 * new layout's snapshot); released ones are never overwritten.
 */
final class TimeWindowSnapshots {
    static final String DIR = "/io/driftguard/operators/functions/";
    /** Open windows as one map of sketches and one of change-point blocks. */
    static final String SKETCH_AND_BLOCK_MAPS = "time-windows-sketch-and-block-maps.snapshot";

    private TimeWindowSnapshots() {}

    /** A record, or a watermark when {@code record} is null. */
    record Step(SeriesRecord record, long watermark) {}

    /** One-second event-time windows, each against the previous one. */
    static DriftSettings settings() {
        WindowSpec w = WindowSpec.ofMillis(1000);
        return DriftSettings.defaults(w).withReference(ReferencePolicy.parse("previous", w));
    }

    static KeyedOneInputStreamOperatorTestHarness<String, SeriesRecord, DriftEvent> harness() throws Exception {
        return WindowDriftFunctionTest.harness(settings());
    }

    /**
     * Keys "a" and "b", a record each every 5 ms over [0, 6000), feature 0 of "a" shifted by 2
     * from 4000 on. Watermarks: 999 after the records before 1000, then 1999 after those before
     * 3200 (the cut), then 2999, 3999 and 4999 after the records before 4000, 5000 and 6000.
     */
    static List<Step> steps() {
        SplittableRandom r = new SplittableRandom(31);
        List<Step> out = new ArrayList<>();
        long[][] phases = {{1000, 999}, {3200, 1999}, {4000, 2999}, {5000, 3999}, {6000, 4999}};
        long t = 0;
        for (long[] phase : phases) {
            for (; t < phase[0]; t += 5) {
                for (String key : new String[] {"a", "b"}) {
                    double[] x = new double[3];
                    for (int f = 0; f < 3; f++) {
                        x[f] = WindowDriftFunctionTest.gaussian(r);
                    }
                    if (key.equals("a") && t >= 4000) {
                        x[0] += 2;
                    }
                    out.add(new Step(new SeriesRecord(key, t, x, null, null), 0));
                }
            }
            out.add(new Step(null, phase[1]));
        }
        out.add(new Step(null, Long.MAX_VALUE));
        return out;
    }

    /** Steps before the cut: records up to 3200 and the watermark 1999, so [2000, 4000) is open. */
    static int cut(List<Step> steps) {
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (s.record() == null && s.watermark() == 1999) {
                return i + 1;
            }
        }
        throw new IllegalStateException("no cut");
    }

    static void apply(KeyedOneInputStreamOperatorTestHarness<String, SeriesRecord, DriftEvent> h, List<Step> steps)
            throws Exception {
        for (Step s : steps) {
            if (s.record() == null) {
                h.processWatermark(s.watermark());
            } else {
                h.processElement(s.record(), s.record().ts());
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0] + DIR + SKETCH_AND_BLOCK_MAPS);
        if (Files.exists(file)) {
            return;
        }
        Files.createDirectories(file.getParent());
        List<Step> steps = steps();
        var h = harness();
        h.open();
        apply(h, steps.subList(0, cut(steps)));
        OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
        OperatorSnapshotUtil.writeStateHandle(snapshot, file.toString());
        h.close();
    }
}
