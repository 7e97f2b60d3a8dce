package io.driftguard.operators.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.record.SeriesRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * A noisy oscillation whose frequency changes while its values' distribution stays the same: the
 * evaluator at its defaults (fixed reference, windows of 200 records) alarms at the change when
 * the records are delay-embedded, cannot see it from the values alone, and raises no alarm on the
 * same oscillation without a change.
 */
class EmbeddedFrequencyChangeTest {

    private static final int WINDOW = 200;
    private static final int WINDOWS = 80;
    private static final int CHANGE_WINDOW = 60;
    private static final LagEmbedding EMBEDDING = new LagEmbedding(3, 3);

    /**
     * sin of a phase advancing 2 pi / period per record (periods not dividing the window, so a
     * window's phases spread over the circle), plus N(0, 0.3^2) noise; the period is 20.3 records,
     * then 8.7 from {@code changeAt} on.
     */
    private static double[] series(int n, int changeAt, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[n];
        double phase = 0;
        for (int t = 0; t < n; t++) {
            phase += 2 * Math.PI / (t < changeAt ? 20.3 : 8.7);
            x[t] = Math.sin(phase) + 0.3 * gaussian(rnd);
        }
        return x;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** Windows (by index from the key's first record) whose event says drift. */
    private static List<Integer> alarms(double[] x, LagEmbedding embedding) throws Exception {
        List<Integer> at = new ArrayList<>();
        for (DriftEvent e : alarmEvents(x, embedding)) {
            // the window holding the event's start, in the key's records
            at.add((int) (e.windowStart() / WINDOW));
        }
        return at;
    }

    /** The events that say drift. */
    private static List<DriftEvent> alarmEvents(double[] x, LagEmbedding embedding) throws Exception {
        DriftSettings s = DriftSettings.defaults(WindowSpec.ofCount(WINDOW)).withEmbedding(embedding);
        var evaluator = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new WindowDriftFunction(s, Duration.ZERO)), SeriesRecord::key, Types.STRING);
        evaluator.open();
        KeyedOneInputStreamOperatorTestHarness<String, SeriesRecord, SeriesRecord> embed = null;
        if (embedding.enabled()) {
            embed = new KeyedOneInputStreamOperatorTestHarness<>(
                    new KeyedProcessOperator<>(new DelayEmbeddingFunction(embedding, Duration.ZERO)), SeriesRecord::key,
                    Types.STRING);
            embed.open();
        }
        for (int t = 0; t < x.length; t++) {
            SeriesRecord r = new SeriesRecord("k", t, new double[] {x[t]}, new String[] {"x"}, null);
            if (embed == null) {
                evaluator.processElement(r, t);
            } else {
                embed.processElement(r, t);
                for (Object o : embed.getOutput()) {
                    SeriesRecord e = (SeriesRecord) ((StreamRecord<?>) o).getValue();
                    evaluator.processElement(e, e.ts());
                }
                embed.getOutput().clear();
            }
        }
        List<DriftEvent> at = new ArrayList<>();
        for (Object o : evaluator.getOutput()) {
            if (o instanceof StreamRecord<?> sr && sr.getValue() instanceof DriftEvent e && e.drift()) {
                at.add(e);
            }
        }
        evaluator.close();
        if (embed != null) {
            embed.close();
        }
        return at;
    }

    @Test
    void theEmbeddingSeesAFrequencyChangeThatTheValuesHide() throws Exception {
        double[] x = series(WINDOW * WINDOWS, WINDOW * CHANGE_WINDOW, 7);
        List<Integer> embedded = alarms(x, EMBEDDING);
        assertThat(embedded).as("alarms with the embedding").isNotEmpty();
        assertThat(embedded.get(0)).isBetween(CHANGE_WINDOW - 1, CHANGE_WINDOW + 2);
        assertThat(embedded).allSatisfy(w -> assertThat(w).isGreaterThanOrEqualTo(CHANGE_WINDOW - 1));
        List<Integer> raw = alarms(x, LagEmbedding.NONE);
        assertThat(raw).as("alarms on the values alone").noneMatch(w -> w >= CHANGE_WINDOW && w <= CHANGE_WINDOW + 3);
    }

    @Test
    void theSameOscillationWithoutAChangeRaisesNoAlarm() throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            double[] x = series(WINDOW * WINDOWS, Integer.MAX_VALUE, seed);
            assertThat(alarms(x, EMBEDDING)).as("seed %d", seed).isEmpty();
        }
    }

    @Test
    void theEventLocatesAFrequencyChangeInsideTheWindow() throws Exception {
        // the period changes 70 records into window 60; blocks are 12.5 records
        int change = WINDOW * CHANGE_WINDOW + 70;
        for (long seed = 7; seed <= 9; seed++) {
            List<DriftEvent> events = alarmEvents(series(WINDOW * WINDOWS, change, seed), EMBEDDING);
            assertThat(events).as("seed %d", seed).isNotEmpty();
            DriftEvent first = events.get(0);
            // the first alarm is on the window the change falls in (windows start 6 records late:
            // a key's first (m - 1) tau records only fill the embedding's ring)
            assertThat(change).as("seed %d", seed).isBetween((int) first.windowStart(), (int) first.windowEnd() - 1);
            assertThat(first.changeAt()).as("seed %d", seed).isNotNull();
            assertThat(first.changeAt()).as("seed %d", seed).isBetween(change - 25L, change + 25L);
        }
    }
}
