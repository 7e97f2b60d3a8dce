package io.driftguard.operators.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.record.DeadLetter;
import io.driftguard.operators.record.SeriesRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.Test;

/** Window starts and ends near the ends of the {@code long} range. */
class WindowSpecArithmeticTest {

    private static final long MAX = Long.MAX_VALUE;
    private static final long MIN = Long.MIN_VALUE;

    @Test
    void startsAreFloorAlignedAndNeverWrap() {
        WindowSpec w = WindowSpec.ofMillis(1000);
        assertThat(w.windowStart(1_700_000_000_123L)).isEqualTo(1_700_000_000_000L);
        assertThat(w.windowStart(0)).isZero();
        assertThat(w.windowStart(-1)).isEqualTo(-1000);
        assertThat(w.windowStart(MAX)).isEqualTo(9_223_372_036_854_775_000L);
        // the true start, MIN rounded down to a multiple of 1000, lies below the long range
        assertThat(w.windowStart(MIN)).isEqualTo(MIN);
        assertThat(WindowSpec.ofMillis(MAX).windowStart(MAX)).isEqualTo(MAX);
        assertThat(WindowSpec.ofMillis(MAX).windowStart(-1)).isEqualTo(-MAX);
    }

    @Test
    void endsSaturateAtTheEndOfTime() {
        WindowSpec w = WindowSpec.ofMillis(1000);
        assertThat(w.windowEnd(1_700_000_000_000L)).isEqualTo(1_700_000_001_000L);
        assertThat(w.windowEnd(w.windowStart(MAX))).isEqualTo(MAX);
        assertThat(w.windowEnd(MIN)).isEqualTo(MIN + 1000);
        assertThat(WindowSpec.ofMillis(MAX).windowEnd(1)).isEqualTo(MAX);
    }

    @Test
    void startOfWindowEndingAtInvertsWindowEnd() {
        SplittableRandom r = new SplittableRandom(2);
        long[] sizes = {1, 7, 1000, 3_600_000, 86_400_000L * 365, MAX / 3, MAX};
        for (long size : sizes) {
            WindowSpec w = WindowSpec.ofMillis(size);
            long[] times = {0, 1, -1, MAX, MAX - 1, MIN + size, 1_700_000_000_000L, r.nextLong(), r.nextLong()};
            for (long t : times) {
                long start = w.windowStart(t);
                long end = w.windowEnd(start);
                // only a window of one millisecond starting at MAX is empty
                assertThat(end).as("size %d t %d", size, t).isGreaterThanOrEqualTo(start)
                        .isGreaterThan(start == MAX ? MAX - 1 : start);
                assertThat(t).isBetween(start, end == MAX ? MAX : end - 1);
                if (start != MIN && start != end) {
                    assertThat(w.startOfWindowEndingAt(end)).as("size %d t %d", size, t).isEqualTo(start);
                }
            }
        }
    }

    @Test
    void blocksSplitAWindowEvenlyWhateverItsSize() {
        WindowSpec small = WindowSpec.ofMillis(1000);
        assertThat(small.blockOf(0, 16)).isZero();
        assertThat(small.blockOf(999, 16)).isEqualTo(15);
        assertThat(small.blockOf(500, 16)).isEqualTo(8);
        WindowSpec huge = WindowSpec.ofMillis(MAX);
        assertThat(huge.blockOf(MAX - 1, 16)).isEqualTo(15);
        assertThat(huge.blockOf(MAX / 2, 16)).isEqualTo(8);
        assertThat(huge.blockOf(MAX / 16 - 1, 16)).isZero();
    }

    @Test
    void saturatedAddHoldsAtTheEnds() {
        assertThat(WindowSpec.saturatedAdd(MAX, 1)).isEqualTo(MAX);
        assertThat(WindowSpec.saturatedAdd(MAX - 5, 5)).isEqualTo(MAX);
        assertThat(WindowSpec.saturatedAdd(MIN, -1)).isEqualTo(MIN);
        assertThat(WindowSpec.saturatedAdd(MIN, MAX)).isEqualTo(-1);
        assertThat(WindowSpec.saturatedAdd(3, -5)).isEqualTo(-2);
    }

    @Test
    void recordsAtTheEndOfTimeCloseWindowsWithPositiveEnds() throws Exception {
        WindowSpec w = WindowSpec.ofMillis(1000);
        DriftSettings s = DriftSettings.defaults(w).withReference(ReferencePolicy.parse("previous", w));
        var h = WindowDriftFunctionTest.harness(s);
        h.open();
        SplittableRandom r = new SplittableRandom(9);
        // one record per millisecond over the last 3001 milliseconds of the long range: four
        // windows, the last of which would end past Long.MAX_VALUE
        for (long t = MAX - 3000; t < MAX; t++) {
            h.processElement(new SeriesRecord("a", t, new double[] {
                WindowDriftFunctionTest.gaussian(r), WindowDriftFunctionTest.gaussian(r)}, null, null), t);
        }
        h.processElement(new SeriesRecord("a", MAX, new double[] {0.1, 0.2}, null, null), MAX);
        h.processWatermark(MAX - 2000);
        h.processWatermark(MAX);
        List<DriftEvent> events = new ArrayList<>();
        List<DeadLetter> dead = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> sr && sr.getValue() instanceof DriftEvent e) {
                events.add(e);
            }
        }
        var side = h.getSideOutput(DriftMetrics.DEAD_LETTER_TAG);
        if (side != null) {
            side.forEach(sr -> dead.add(sr.getValue()));
        }
        assertThat(dead).isEmpty();
        long last = w.windowStart(MAX);
        assertThat(events).extracting(DriftEvent::windowStart)
                .containsExactly(last - 2000, last - 1000, last);
        assertThat(events).allSatisfy(e -> assertThat(e.windowEnd()).isGreaterThan(e.windowStart()));
        assertThat(events.get(2).windowEnd()).isEqualTo(MAX);
        assertThat(events.get(2).nCur()).as("the window holds the records up to and including MAX")
                .isEqualTo(MAX - last + 1);
        h.close();
    }
}
