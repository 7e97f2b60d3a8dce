package io.driftguard.operators.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.detect.PooledReferenceDetector;
import io.driftguard.operators.record.DeadLetter;
import io.driftguard.operators.record.SeriesRecord;
import io.driftguard.operators.sketch.ReservoirSketch;
import io.driftguard.operators.sketch.RffSketch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.apache.flink.runtime.metrics.util.TestingMetricRegistry;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;

class WindowDriftFunctionTest {

    private static final int D = 3;
    private static final int WINDOW = 200;

    /** Seeded records of one key: Gaussian, with feature 0 shifted by {@code shift} from {@code from}. */
    private static List<SeriesRecord> series(String key, int n, int from, double shift, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<SeriesRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double[] x = new double[D];
            for (int f = 0; f < D; f++) {
                x[f] = gaussian(r) + (f == 0 && i >= from ? shift : 0.0);
            }
            out.add(new SeriesRecord(key, i, x, null, null));
        }
        return out;
    }

    static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    static KeyedOneInputStreamOperatorTestHarness<String, SeriesRecord, DriftEvent> harness(
            DriftSettings s) throws Exception {
        // not opened: a restoring test initialises state before opening
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new WindowDriftFunction(s)), SeriesRecord::key, Types.STRING);
    }

    /**
     * A harness whose operator registers its metrics in {@code metrics} (by name), through a
     * metric registry as a task manager's would.
     */
    static KeyedOneInputStreamOperatorTestHarness<String, SeriesRecord, DriftEvent> meteredHarness(
            DriftSettings s, Map<String, Metric> metrics) throws Exception {
        TestingMetricRegistry registry = TestingMetricRegistry.builder()
                .setRegisterConsumer((metric, name, group) -> metrics.put(name, metric))
                .build();
        MockEnvironment env = new MockEnvironmentBuilder()
                .setMetricGroup(TaskManagerMetricGroup.createTaskManagerMetricGroup(registry, "localhost", ResourceID.generate())
                        .addJob(new JobID(), "job")
                        .addTask(ExecutionAttemptID.randomId(), "task"))
                .build();
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new WindowDriftFunction(s)), SeriesRecord::key, Types.STRING, env);
    }

    private static long count(Map<String, Metric> metrics, String name) {
        assertThat(metrics).containsKey(name);
        return ((Counter) metrics.get(name)).getCount();
    }

    private static DriftSettings countSettings(String reference) {
        return countSettings(WINDOW, reference);
    }

    private static DriftSettings countSettings(int records, String reference) {
        WindowSpec w = WindowSpec.ofCount(records);
        return DriftSettings.defaults(w).withReference(ReferencePolicy.parse(reference, w));
    }

    private static List<DriftEvent> events(KeyedOneInputStreamOperatorTestHarness<String, SeriesRecord, DriftEvent> h) {
        List<DriftEvent> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> sr && sr.getValue() instanceof DriftEvent e) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void countWindowsEmitOneEventPerEvaluatedWindowAndFlagTheShift() throws Exception {
        var h = harness(countSettings("previous"));
        h.open();
        for (SeriesRecord r : series("a", 4 * WINDOW + 17, 3 * WINDOW, 1.5, 1)) {
            h.processElement(r, r.ts());
        }
        List<DriftEvent> ev = events(h);
        // windows 1..3 are compared with their predecessors; the trailing 17 records stay open
        assertThat(ev).hasSize(3);
        assertThat(ev).extracting(DriftEvent::windowStart).containsExactly(200L, 400L, 600L);
        assertThat(ev).extracting(DriftEvent::referenceStart).containsExactly(0L, 200L, 400L);
        assertThat(ev).allSatisfy(e -> {
            assertThat(e.nRef()).isEqualTo(WINDOW);
            assertThat(e.nCur()).isEqualTo(WINDOW);
            assertThat(e.features()).hasSize(D);
        });
        DriftEvent shifted = ev.get(2);
        assertThat(shifted.drift()).isTrue();
        assertThat(shifted.aggregatedPValue()).isLessThanOrEqualTo(0.01);
        assertThat(shifted.aDistance()).isGreaterThan(0.5);
        assertThat(shifted.features()[0].name()).isEqualTo("f0");
        assertThat(ev.get(0).drift()).isFalse();
        assertThat(ev.get(0).mmd2()).isLessThan(shifted.mmd2());
        h.close();
    }

    @Test
    void snapshotAndRestoreMidWindowGivesTheSameEventsAsAnUninterruptedRun() throws Exception {
        List<SeriesRecord> data = series("k", 5 * WINDOW, 3 * WINDOW, 1.0, 2);
        data.addAll(series("other", 5 * WINDOW, 10 * WINDOW, 0.0, 3));
        data.sort((a, b) -> Long.compare(a.ts(), b.ts()));
        DriftSettings s = countSettings("last-2");
        var straight = harness(s);
        straight.open();
        for (SeriesRecord r : data) {
            straight.processElement(r, r.ts());
        }
        assertThat(events(straight)).hasSize(2 * 4); // windows 1..4 of each key, window 0 has no reference
        straight.close();
        assertRestoresIdentically(s, data, 2 * data.size() / 3 + 11); // inside a window of both keys
    }

    /**
     * No event field reads the per-feature quantile sketches: without them (KLL k 0) a job emits
     * the same events, under each reference policy, and restores from its snapshots.
     */
    @Test
    void withoutQuantileSketchesTheEventsAreTheSame() throws Exception {
        List<SeriesRecord> data = series("k", 12 * WINDOW, 9 * WINDOW, 1.0, 4);
        data.addAll(series("other", 12 * WINDOW, 20 * WINDOW, 0.0, 5));
        data.sort((a, b) -> Long.compare(a.ts(), b.ts()));
        for (String reference : new String[] {"previous", "fixed", "last-2"}) {
            DriftSettings s = countSettings(reference);
            DriftSettings none = withSketchSizes(s, s.reservoirSize(), 0, s.rffPairs());
            List<List<DriftEvent>> runs = new ArrayList<>();
            for (DriftSettings settings : List.of(s, none)) {
                var h = harness(settings);
                h.open();
                for (SeriesRecord r : data) {
                    h.processElement(r, r.ts());
                }
                runs.add(events(h));
                h.close();
            }
            // the fixed reference pools a key's first 8 windows before it evaluates any
            assertThat(runs.get(0)).as(reference).hasSizeGreaterThan(4);
            if (!reference.equals("fixed")) {
                assertThat(runs.get(0)).as(reference).anyMatch(DriftEvent::drift);
            }
            assertThat(runs.get(1)).as(reference).containsExactlyElementsOf(runs.get(0));
            if (reference.equals("previous")) {
                assertRestoresIdentically(none, data, data.size() / 2 + 7);
            }
        }
    }

    /** {@code s} with other sketch sizes. */
    private static DriftSettings withSketchSizes(DriftSettings s, int reservoirSize, int kllK, int rffPairs) {
        return new DriftSettings(s.window(), s.reference(), s.permutations(), reservoirSize, kllK, rffPairs,
                s.sketchesEnabled(), s.expectedRunLength(), s.seed(), s.historyWindows(), s.embedding());
    }

    /**
     * Runs {@code data} up to {@code cut} under {@code before}, snapshots, restores under {@code
     * after} and runs the rest, then a final watermark; after each record the watermark that
     * {@code watermark} gives, when it gives one. Returns the events of the two runs.
     */
    private static List<List<DriftEvent>> acrossRestore(DriftSettings before, DriftSettings after,
            List<SeriesRecord> data, int cut, LongFunction<Long> watermark) throws Exception {
        var first = harness(before);
        first.open();
        feed(first, data.subList(0, cut), watermark);
        List<DriftEvent> earlier = events(first);
        OperatorSubtaskState snapshot = first.snapshot(1L, 1L);
        first.close();
        var restored = harness(after);
        restored.initializeState(snapshot);
        restored.open();
        feed(restored, data.subList(cut, data.size()), watermark);
        restored.processWatermark(Long.MAX_VALUE);
        List<DriftEvent> later = events(restored);
        restored.close();
        return List.of(earlier, later);
    }

    private static void feed(KeyedOneInputStreamOperatorTestHarness<String, SeriesRecord, DriftEvent> h,
            List<SeriesRecord> records, LongFunction<Long> watermark) throws Exception {
        for (SeriesRecord r : records) {
            h.processElement(r, r.ts());
            Long w = watermark.apply(r.ts());
            if (w != null) {
                h.processWatermark(w);
            }
        }
    }

    /**
     * A savepoint taken with quantile sketches restores into a job without them (a changed
     * drift.sketch.kll-k): last-K then merges only the closed windows kept with the newest one's
     * sketch settings, so the reference regrows over K windows instead of failing on a merge.
     */
    @Test
    void lastKRestoredWithOtherSketchSettingsMergesOnlyLikeWindows() throws Exception {
        List<SeriesRecord> data = series("k", 12 * WINDOW, 9 * WINDOW, 1.5, 6);
        DriftSettings last3 = countSettings("last-3");
        DriftSettings before = withSketchSizes(last3, last3.reservoirSize(), 200, last3.rffPairs());
        DriftSettings after = withSketchSizes(before, before.reservoirSize(), 0, before.rffPairs());
        List<DriftEvent> ev = acrossRestore(before, after, data, 5 * WINDOW + 30, t -> null).get(1);
        // window 5 was open at the snapshot, so it keeps k 200, as do its references 2..4 and
        // window 6's references 3..5; window 6 is the first without quantiles: window 7 merges
        // it alone, and the reference regrows to three windows by window 9
        assertThat(ev).extracting(DriftEvent::windowStart)
                .containsExactly(5L * WINDOW, 6L * WINDOW, 7L * WINDOW, 8L * WINDOW, 9L * WINDOW, 10L * WINDOW,
                        11L * WINDOW);
        assertThat(ev).extracting(DriftEvent::referenceStart)
                .containsExactly(2L * WINDOW, 3L * WINDOW, 6L * WINDOW, 6L * WINDOW, 6L * WINDOW, 7L * WINDOW,
                        8L * WINDOW);
        assertThat(ev).extracting(DriftEvent::nRef)
                .containsExactly(3L * WINDOW, 3L * WINDOW, 1L * WINDOW, 2L * WINDOW, 3L * WINDOW, 3L * WINDOW,
                        3L * WINDOW);
        assertThat(ev.get(4).drift()).isTrue(); // window 9, where the shift starts
    }

    /**
     * A savepoint restored with another number of random Fourier pairs: the nearest-history
     * search skips the embeddings kept over the old frequencies instead of failing on them.
     */
    @Test
    void historyKeptWithOtherFourierPairsIsSkippedAfterARestore() throws Exception {
        List<SeriesRecord> data = series("k", 10 * WINDOW, 10 * WINDOW, 0.0, 7);
        DriftSettings before = countSettings("previous");
        DriftSettings after = withSketchSizes(before, before.reservoirSize(), before.kllK(), 64);
        List<List<DriftEvent>> runs = acrossRestore(before, after, data, 5 * WINDOW + 30, t -> null);
        assertThat(runs.get(0)).last().extracting(DriftEvent::nearestWindowStart).isNotNull();
        List<DriftEvent> ev = runs.get(1);
        // windows 5..9 are evaluated; window 5 was open at the snapshot and keeps 128 pairs, so its
        // history is windows 0..3; window 6 (64 pairs) has no like window besides its reference
        // (5 is excluded as the reference and has 128 pairs anyway); later windows find 6, 7, ...
        assertThat(ev).extracting(DriftEvent::windowStart)
                .containsExactly(5L * WINDOW, 6L * WINDOW, 7L * WINDOW, 8L * WINDOW, 9L * WINDOW);
        assertThat(ev.get(0).nearestWindowStart()).isBetween(0L, 3L * WINDOW);
        assertThat(ev.get(1).nearestWindowStart()).isNull();
        assertThat(ev.get(2).nearestWindowStart()).isNull(); // its only like window, 6, is its reference
        assertThat(ev.get(3).nearestWindowStart()).isEqualTo(6L * WINDOW);
        assertThat(ev.get(4).nearestWindowStart()).isBetween(6L * WINDOW, 7L * WINDOW);
    }

    /**
     * Every sketch setting, and the seed, can change across a savepoint under every reference
     * policy: the restored job goes on evaluating each window, as the uninterrupted one does.
     */
    @Test
    void aRestoreWithOtherSketchSettingsKeepsEvaluatingUnderEveryPolicy() throws Exception {
        List<SeriesRecord> data = series("k", 20 * WINDOW, 14 * WINDOW, 1.5, 8);
        int cut = 10 * WINDOW + 30;
        for (String reference : new String[] {"previous", "fixed", "last-3", "seasonal:" + 3 * WINDOW}) {
            DriftSettings s = countSettings(reference);
            List<DriftSettings> changed = List.of(
                    withSketchSizes(s, s.reservoirSize(), 0, s.rffPairs()),
                    withSketchSizes(s, s.reservoirSize(), s.kllK(), 64),
                    withSketchSizes(s, 128, s.kllK(), s.rffPairs()),
                    new DriftSettings(s.window(), s.reference(), s.permutations(), s.reservoirSize(), s.kllK(),
                            s.rffPairs(), true, s.expectedRunLength(), s.seed() + 1, s.historyWindows(), s.embedding()));
            var straight = harness(s);
            straight.open();
            feed(straight, data, t -> null);
            // up to the change: before a key is calibrated, whether (and so in which window) the
            // early test alarms on the change can depend on the reservoir's sample
            long expected = events(straight).stream()
                    .filter(e -> e.windowStart() >= 10L * WINDOW && e.windowStart() < 14L * WINDOW).count();
            straight.close();
            assertThat(expected).as(reference).isGreaterThan(0);
            for (DriftSettings after : changed) {
                List<DriftEvent> ev = acrossRestore(s, after, data, cut, t -> null).get(1);
                assertThat(ev.stream().filter(e -> e.windowStart() < 14L * WINDOW))
                        .as("%s restored with %s", reference, after).hasSize((int) expected);
            }
        }
    }

    /**
     * A savepoint restored with another window duration: the window open at the snapshot is not
     * left behind when its timer finds no window of the new size at the start it computes; it
     * closes at its end under the new size, and every later window closes as usual.
     */
    @Test
    void aWindowOpenAcrossAChangeOfDurationStillCloses() throws Exception {
        WindowSpec second = WindowSpec.ofMillis(1000);
        WindowSpec longer = WindowSpec.ofMillis(1500);
        DriftSettings before = DriftSettings.defaults(second).withReference(ReferencePolicy.parse("previous", second));
        DriftSettings after = DriftSettings.defaults(longer).withReference(ReferencePolicy.parse("previous", longer));
        SplittableRandom r = new SplittableRandom(9);
        List<SeriesRecord> data = new ArrayList<>();
        for (int t = 0; t < 10_000; t += 5) { // 200 records per second
            data.add(new SeriesRecord("a", t, new double[] {gaussian(r), gaussian(r), gaussian(r)}, null, null));
        }
        // watermarks at each second's end, then, under the new size, at each half second's end
        List<List<DriftEvent>> runs = acrossRestore(before, after, data, 900, t -> t < 4500
                ? (t % 1000 == 995 ? t + 4 : null)
                : (t % 500 == 495 ? t + 4 : null));
        // windows 1..3 compared with their predecessors; [4000, 5000) is open at the snapshot
        assertThat(runs.get(0)).extracting(DriftEvent::windowStart).containsExactly(1000L, 2000L, 3000L);
        List<DriftEvent> ev = runs.get(1);
        // the open window's timer (4999) finds no 1.5 s window at 3500; the window closes at
        // 5499, its end under the new size, then the aligned 1.5 s windows follow
        assertThat(ev).extracting(DriftEvent::windowStart).containsExactly(4000L, 4500L, 6000L, 7500L, 9000L);
        assertThat(ev.get(0).windowEnd()).isEqualTo(5500L);
        assertThat(ev.get(0).nCur()).isEqualTo(100);
        assertThat(ev.get(1).nCur()).isEqualTo(300);
        assertThat(ev.get(4).windowEnd()).isEqualTo(10_500L);
    }

    /**
     * A savepoint of count windows restored with a duration: the count window open at the
     * snapshot is evaluated at the key's first timer, then the time windows follow.
     */
    @Test
    void aCountWindowOpenAcrossASwitchToDurationsIsEvaluated() throws Exception {
        List<SeriesRecord> data = series("k", 1000, 1000, 0.0, 10); // one record per millisecond
        WindowSpec tenth = WindowSpec.ofMillis(100);
        DriftSettings after = DriftSettings.defaults(tenth).withReference(ReferencePolicy.parse("previous", tenth));
        List<List<DriftEvent>> runs = acrossRestore(countSettings("previous"), after, data, 650,
                t -> t % 100 == 99 ? t : null);
        assertThat(runs.get(0)).extracting(DriftEvent::windowStart).containsExactly(200L, 400L);
        List<DriftEvent> ev = runs.get(1);
        // [600, 650) as counted, then the 100 ms windows from 600 on (the first holds 650..699)
        assertThat(ev).extracting(DriftEvent::windowStart).containsExactly(600L, 600L, 700L, 800L, 900L);
        assertThat(ev).extracting(DriftEvent::windowEnd).containsExactly(650L, 700L, 800L, 900L, 1000L);
        assertThat(ev).extracting(DriftEvent::nCur).containsExactly(50L, 50L, 100L, 100L, 100L);
    }

    /**
     * And the other way: a time window open when the window becomes a record count closes at its
     * own timer, with its own end, before the first count window completes.
     */
    @Test
    void aTimeWindowOpenAcrossASwitchToCountsIsEvaluated() throws Exception {
        List<SeriesRecord> data = series("k", 1000, 1000, 0.0, 11); // one record per millisecond
        WindowSpec tenth = WindowSpec.ofMillis(100);
        DriftSettings before = DriftSettings.defaults(tenth).withReference(ReferencePolicy.parse("previous", tenth));
        List<List<DriftEvent>> runs = acrossRestore(before, countSettings("previous"), data, 650,
                t -> t % 100 == 99 ? t : null);
        assertThat(runs.get(0)).extracting(DriftEvent::windowStart).containsExactly(100L, 200L, 300L, 400L, 500L);
        List<DriftEvent> ev = runs.get(1);
        // [600, 700) holds 600..649; the first 200-record window is 650..849, the rest stays open
        assertThat(ev).extracting(DriftEvent::windowStart).containsExactly(600L, 650L);
        assertThat(ev).extracting(DriftEvent::windowEnd).containsExactly(700L, 850L);
        assertThat(ev).extracting(DriftEvent::nCur).containsExactly(50L, 200L);
    }

    @Test
    void recordsOfAnotherDimensionAreDeadLetteredAndCounted() throws Exception {
        Map<String, Metric> metrics = new ConcurrentHashMap<>();
        var h = meteredHarness(countSettings("previous"), metrics);
        h.open();
        h.processElement(new SeriesRecord("a", 0, new double[] {1, 2, 3}, null, null), 0);
        h.processElement(new SeriesRecord("a", 1, new double[] {1, 2}, null, null), 1);
        List<DeadLetter> dead = new ArrayList<>();
        h.getSideOutput(DriftMetrics.DEAD_LETTER_TAG).forEach(sr -> dead.add(sr.getValue()));
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).reason()).contains("dimension 2").contains("3");
        assertThat(dead.get(0).source()).isEqualTo("a@1");
        assertThat(count(metrics, DriftMetrics.DEAD_LETTERS)).isEqualTo(1);
        assertThat(count(metrics, DriftMetrics.LATE_RECORDS)).isZero();
        h.close();
    }

    @Test
    void eventTimeWindowsCloseOnTheWatermarkAndLateRecordsAreDeadLettered() throws Exception {
        Map<String, Metric> metrics = new ConcurrentHashMap<>();
        var h = meteredHarness(TimeWindowSnapshots.settings(), metrics);
        h.open();
        SplittableRandom r = new SplittableRandom(5);
        for (int t = 0; t < 3000; t += 10) { // 100 records per window, three windows
            h.processElement(new SeriesRecord("a", t, new double[] {gaussian(r), gaussian(r), gaussian(r)}, null, null), t);
        }
        assertThat(events(h)).isEmpty();
        h.processWatermark(1999);
        assertThat(events(h)).hasSize(1);
        DriftEvent e = events(h).get(0);
        assertThat(e.windowStart()).isEqualTo(1000);
        assertThat(e.windowEnd()).isEqualTo(2000);
        assertThat(e.referenceStart()).isEqualTo(0);
        assertThat(e.referenceEnd()).isEqualTo(1000);
        h.processElement(new SeriesRecord("a", 1500, new double[] {0, 0, 0}, null, null), 1500);
        List<DeadLetter> dead = new ArrayList<>();
        h.getSideOutput(DriftMetrics.DEAD_LETTER_TAG).forEach(sr -> dead.add(sr.getValue()));
        assertThat(dead).singleElement().satisfies(d -> assertThat(d.reason()).startsWith("late"));
        assertThat(count(metrics, DriftMetrics.LATE_RECORDS)).isEqualTo(1);
        assertThat(count(metrics, DriftMetrics.DEAD_LETTERS)).isEqualTo(1);
        h.processWatermark(Long.MAX_VALUE);
        assertThat(events(h)).hasSize(2);
        assertThat(count(metrics, DriftMetrics.WINDOWS_EVALUATED)).isEqualTo(2);
        h.close();
    }

    /** The events with their nearest-window distance rounded to 5 significant digits. */
    private static List<DriftEvent> nearestRounded(List<DriftEvent> events) {
        List<DriftEvent> out = new ArrayList<>();
        for (DriftEvent e : events) {
            double d = e.nearestDistance();
            double rounded = Double.isFinite(d) && d != 0
                    ? new java.math.BigDecimal(d).round(new java.math.MathContext(5)).doubleValue()
                    : d;
            out.add(e.toBuilder().nearest(e.nearestWindowStart(), rounded).build());
        }
        return out;
    }

    /**
     * No record pays for the random Fourier embedding: open windows carry none, before and after
     * the key's bandwidth is known, and a closed window's kept embedding is its reservoir's.
     */
    @Test
    void aWindowsEmbeddingIsBuiltFromItsReservoirAtItsClose() throws Exception {
        var h = harness(TimeWindowSnapshots.settings());
        h.open();
        SplittableRandom r = new SplittableRandom(8);
        var backend = h.getOperator().getKeyedStateBackend();
        backend.setCurrentKey("a");
        MapState<Long, OpenWindow> open =
                backend.getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new MapStateDescriptor<>("open-time-windows", LongSerializer.INSTANCE, OpenWindowSerializer.INSTANCE));
        MapState<Long, byte[]> embeddings =
                backend.getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new MapStateDescriptor<>("embeddings", LongSerializer.INSTANCE, BytePrimitiveArraySerializer.INSTANCE));
        // windows of 1,000 ms, one record per 2 ms: 500 records against a reservoir of 256
        for (int t = 0; t < 3000; t += 2) {
            h.processElement(new SeriesRecord("a", t, new double[] {gaussian(r), gaussian(r), gaussian(r)}, null, null), t);
        }
        h.processWatermark(999);
        assertThat(open.get(1000L).sketch.rff()).isEmpty();
        double[][] rows = open.get(1000L).sketch.reservoir().rows();
        long seen = open.get(1000L).sketch.reservoir().seen();
        assertThat(rows.length).isLessThan((int) seen);
        h.processWatermark(1999);
        assertThat(open.get(2000L).sketch.rff()).isEmpty();
        byte[] kept = null;
        for (Map.Entry<Long, byte[]> e : embeddings.entries()) {
            WindowDriftFunction.Stored st = WindowDriftFunction.Stored.fromBytes(e.getValue());
            if (st.start() == 1000L) {
                kept = st.bytes();
            }
        }
        assertThat(kept).as("the second window's embedding").isNotNull();
        RffSketch got = RffSketch.fromBytes(kept);
        RffSketch sample = RffSketch.fromSample(got.basis(), rows, seen);
        assertThat(got.count()).isEqualTo(500);
        // the kept summary's sums are single precision
        assertThat(got.mmd2(sample)).isLessThan(1e-10);
        h.close();
    }

    /**
     * A snapshot taken by the layout that kept open time windows' sketches and change-point
     * blocks in two maps restores: the windows open at the cut close with the events of an
     * uninterrupted run.
     */
    @Test
    void aSnapshotOfEarlierOpenWindowStateRestores() throws Exception {
        List<TimeWindowSnapshots.Step> steps = TimeWindowSnapshots.steps();
        int cut = TimeWindowSnapshots.cut(steps);
        var straight = TimeWindowSnapshots.harness();
        straight.open();
        TimeWindowSnapshots.apply(straight, steps.subList(0, cut));
        int before = events(straight).size();
        TimeWindowSnapshots.apply(straight, steps.subList(cut, steps.size()));
        List<DriftEvent> expected = events(straight).subList(before, events(straight).size());
        straight.close();
        // the open windows [2000, 3000) and [3000, 4000) of both keys close after the cut
        assertThat(expected).extracting(DriftEvent::windowStart)
                .containsExactlyInAnyOrder(2000L, 2000L, 3000L, 3000L, 4000L, 4000L, 5000L, 5000L);
        assertThat(expected).filteredOn(e -> e.key().equals("a") && e.windowStart() == 4000L)
                .singleElement().satisfies(e -> assertThat(e.pValue()).isLessThan(0.01));

        var restored = TimeWindowSnapshots.harness();
        restored.initializeState(OperatorSnapshotUtil.readStateHandle(
                Path.of(getClass().getResource(TimeWindowSnapshots.DIR + TimeWindowSnapshots.SKETCH_AND_BLOCK_MAPS)
                        .toURI()).toString()));
        restored.open();
        TimeWindowSnapshots.apply(restored, steps.subList(cut, steps.size()));
        // the snapshot's kept embeddings hold double sums, this release keeps single-precision ones:
        // the nearest window is the same, its distance equal to that rounding
        assertThat(nearestRounded(events(restored))).containsExactlyElementsOf(nearestRounded(expected));
        restored.close();
    }

    @Test
    void seasonalReferenceComparesWithTheSamePhaseOfThePreviousPeriod() throws Exception {
        WindowSpec w = WindowSpec.ofCount(100);
        DriftSettings s = DriftSettings.defaults(w).withReference(ReferencePolicy.parse("seasonal:300", w));
        var h = harness(s);
        h.open();
        for (SeriesRecord r : series("a", 700, 10_000, 0, 9)) {
            h.processElement(r, r.ts());
        }
        List<DriftEvent> ev = events(h);
        assertThat(ev).extracting(DriftEvent::windowStart).containsExactly(300L, 400L, 500L, 600L);
        assertThat(ev).extracting(DriftEvent::referenceStart).containsExactly(0L, 100L, 200L, 300L);
        h.close();
    }

    @Test
    void onceCalibratedAStableKeyStaysQuietAndAShiftIsCaughtAtOnce() throws Exception {
        int w = 200;
        int windows = 75;
        int change = 60;
        Map<String, Metric> metrics = new ConcurrentHashMap<>();
        var h = meteredHarness(countSettings(w, "previous"), metrics);
        h.open();
        SplittableRandom r = new SplittableRandom(17);
        for (int i = 0; i < windows * w; i++) {
            double shift = i >= change * w ? 1.0 : 0.0;
            double[] x = {gaussian(r), gaussian(r) + shift, gaussian(r), gaussian(r)};
            h.processElement(new SeriesRecord("c", i, x, null, null), i);
        }
        List<DriftEvent> ev = events(h);
        assertThat(ev).hasSize(windows - 1);
        // by window 60 the key has its own null history (4 reference windows, 30 statistics)
        List<Long> alarms = ev.stream().filter(DriftEvent::drift).map(e -> e.windowStart() / w).toList();
        assertThat(alarms).containsExactly((long) change);
        DriftEvent at = ev.get(change - 1);
        assertThat(at.features()[0].name()).isEqualTo("f1");
        // calibrating for the 4 reference windows, the 30 statistics the first calibrated decision
        // needs and their admission lag of 3 windows; calibrated from then to the alarm; then
        // calibrating again while the reference rebuilds after the change (6 settling and 4
        // reference windows), and calibrated again on the kept history
        assertThat(ev.subList(0, 37)).noneMatch(DriftEvent::calibrated);
        assertThat(ev.subList(37, change)).allMatch(DriftEvent::calibrated);
        assertThat(ev.subList(change, change + 10)).noneMatch(DriftEvent::calibrated);
        assertThat(ev.subList(change + 10, ev.size())).isNotEmpty().allMatch(DriftEvent::calibrated);
        assertThat(count(metrics, DriftMetrics.WINDOWS_EVALUATED)).isEqualTo(windows - 1);
        assertThat(count(metrics, DriftMetrics.DRIFT_ALARMS)).isEqualTo(1);
        assertThat(count(metrics, DriftMetrics.WINDOWS_UNCALIBRATED)).isEqualTo(37 + 10);
        assertThat(count(metrics, DriftMetrics.DEAD_LETTERS)).isZero();
        h.close();
    }

    @Test
    void aDriftEventEstimatesWhereInsideTheWindowTheChangeBegan() throws Exception {
        var h = harness(countSettings("previous"));
        h.open();
        // the shift starts 60 records into the fourth window [600, 800)
        for (SeriesRecord r : series("a", 4 * WINDOW, 3 * WINDOW + 60, 3.0, 4)) {
            h.processElement(r, r.ts());
        }
        DriftEvent e = events(h).get(2);
        assertThat(e.windowStart()).isEqualTo(600);
        assertThat(e.drift()).isTrue();
        // blocks of 200 / 16 = 12.5 records: the estimate is a block boundary next to 660
        assertThat(e.changeAt()).isNotNull().isBetween(648L, 676L);
        assertThat(events(h).get(0).changeAt()).isNull();
        h.close();
    }

    /** Events of an uninterrupted run, and of runs snapshotted after each cut and restored. */
    private static void assertRestoresIdentically(DriftSettings s, List<SeriesRecord> data, int... cuts) throws Exception {
        var straight = harness(s);
        straight.open();
        for (SeriesRecord r : data) {
            straight.processElement(r, r.ts());
        }
        List<DriftEvent> expected = events(straight);
        straight.close();
        assertThat(expected).anyMatch(DriftEvent::drift);
        for (int cut : cuts) {
            var first = harness(s);
            first.open();
            for (SeriesRecord r : data.subList(0, cut)) {
                first.processElement(r, r.ts());
            }
            List<DriftEvent> all = new ArrayList<>(events(first));
            OperatorSubtaskState snapshot = first.snapshot(1L, 1L);
            // the snapshotted operator goes on too: taking the snapshot (copy-on-write on the heap
            // backend) must not disturb the live state
            for (SeriesRecord r : data.subList(cut, data.size())) {
                first.processElement(r, r.ts());
            }
            assertThat(events(first)).as("live after snapshot at record %d", cut).containsExactlyElementsOf(expected);
            first.close();
            var restored = harness(s);
            restored.initializeState(snapshot);
            restored.open();
            for (SeriesRecord r : data.subList(cut, data.size())) {
                restored.processElement(r, r.ts());
            }
            all.addAll(events(restored));
            restored.close();
            assertThat(all).as("restored after record %d", cut).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void fixedReferenceDecidesExactlyAsThePooledReferenceDetector() throws Exception {
        int windows = 75;
        int change = 50;
        List<SeriesRecord> data = series("k", windows * WINDOW, change * WINDOW, 0.8, 21);
        var h = harness(countSettings("fixed"));
        h.open();
        for (SeriesRecord r : data) {
            h.processElement(r, r.ts());
        }
        List<DriftEvent> ev = events(h);
        h.close();

        // the same windows through the detector (a window of 200 fits the 256-record reservoir,
        // which then holds the window's records in order)
        PooledReferenceDetector det =
                PooledReferenceDetector.fixed(PooledReferenceDetector.settings(DriftSettings.defaults(WindowSpec.ofCount(WINDOW)).expectedRunLength()));
        List<Long> decided = new ArrayList<>();
        List<Long> alarms = new ArrayList<>();
        List<Boolean> calibrated = new ArrayList<>();
        for (int w = 0; w < windows; w++) {
            double[][] rows = new double[WINDOW][];
            for (int i = 0; i < WINDOW; i++) {
                rows[i] = data.get(w * WINDOW + i).features();
            }
            PooledReferenceDetector.Verdict v = det.onWindow(rows);
            if (v.decided()) {
                decided.add((long) w * WINDOW);
                calibrated.add(v.calibrated());
            }
            if (v.drift()) {
                alarms.add((long) w * WINDOW);
            }
        }
        assertThat(ev).extracting(DriftEvent::windowStart).containsExactlyElementsOf(decided);
        assertThat(ev.stream().filter(DriftEvent::drift).map(DriftEvent::windowStart).toList())
                .containsExactlyElementsOf(alarms)
                .containsExactly((long) change * WINDOW);
        // the first 8 windows are the reference, each from the second on compared with those
        // before it; after the alarm 6 settle and 8 more pool
        assertThat(ev.get(0).windowStart()).isEqualTo(WINDOW);
        assertThat(ev.get(0).nRef()).isEqualTo(WINDOW);
        assertThat(ev.get(7).windowStart()).isEqualTo(8L * WINDOW);
        assertThat(ev.get(7).referenceStart()).isEqualTo(0L);
        assertThat(ev.get(7).referenceEnd()).isEqualTo(8L * WINDOW);
        assertThat(ev.get(7).nRef()).isEqualTo(8L * WINDOW);
        DriftEvent alarm = ev.stream().filter(DriftEvent::drift).findFirst().orElseThrow();
        assertThat(alarm.features()[0].name()).isEqualTo("f0");
        // the events say which decisions had the key's null history behind them: not the first
        // window after the reference (no history yet), the alarm's
        assertThat(ev).extracting(DriftEvent::calibrated).containsExactlyElementsOf(calibrated);
        assertThat(ev.get(0).calibrated()).isFalse();
        assertThat(alarm.calibrated()).isTrue();
        // 30 null statistics and their admission lag of 3 windows before the first calibrated one
        assertThat(ev.subList(0, 40)).noneMatch(DriftEvent::calibrated);
        assertThat(ev.get(40).calibrated()).isTrue();

        assertThat(alarm.aggregatedPValue()).isLessThanOrEqualTo(0.01);
        // after the alarm: 6 settling windows and the new reference's first have no event
        DriftEvent after = ev.get(ev.indexOf(alarm) + 1);
        assertThat(after.windowStart()).isEqualTo((change + 8L) * WINDOW);
        assertThat(after.referenceStart()).isEqualTo((change + 7L) * WINDOW);
        assertThat(after.nRef()).isEqualTo(WINDOW);
        DriftEvent pooled = ev.get(ev.indexOf(alarm) + 8);
        assertThat(pooled.windowStart()).isEqualTo((change + 15L) * WINDOW);
        assertThat(pooled.nRef()).isEqualTo(8L * WINDOW);
    }

    @Test
    void fixedReferenceSnapshotAndRestoreGivesTheSameEventsAsAnUninterruptedRun() throws Exception {
        List<SeriesRecord> data = series("k", 66 * WINDOW, 45 * WINDOW, 0.8, 22);
        data.addAll(series("other", 66 * WINDOW, 100 * WINDOW, 0.0, 23));
        data.sort((a, b) -> Long.compare(a.ts(), b.ts()));
        // cuts (records of both keys): while pooling, mid-window while deciding, right after the
        // alarm (settling), while pooling again
        assertRestoresIdentically(countSettings("fixed"), data,
                2 * 5 * WINDOW + 31, 2 * 30 * WINDOW + 77, 2 * 46 * WINDOW + 5, 2 * 56 * WINDOW + 150);
    }

    @Test
    void seasonalReferenceSnapshotAndRestoreGivesTheSameEventsAsAnUninterruptedRun() throws Exception {
        WindowSpec w = WindowSpec.ofCount(100);
        DriftSettings s = DriftSettings.defaults(w).withReference(ReferencePolicy.parse("seasonal:300", w));
        List<SeriesRecord> data = series("a", 45 * 100, 40 * 100, 1.5, 24);
        assertRestoresIdentically(s, data, 150, 2 * 100 + 40, 20 * 100 + 1, 41 * 100 + 3);
    }

    @Test
    void restoringUnderAnotherPolicyRebuildsTheReference() throws Exception {
        WindowSpec w = WindowSpec.ofCount(WINDOW);
        DriftSettings seasonal = DriftSettings.defaults(w).withReference(ReferencePolicy.parse("seasonal:" + 3 * WINDOW, w));
        List<SeriesRecord> data = series("k", 60 * WINDOW, 60 * WINDOW, 0.0, 25);
        var first = harness(seasonal);
        first.open();
        for (SeriesRecord r : data.subList(0, 20 * WINDOW)) {
            first.processElement(r, r.ts());
        }
        assertThat(events(first)).isNotEmpty();
        OperatorSubtaskState snapshot = first.snapshot(1L, 1L);
        first.close();

        // the same state restored with the fixed policy: a fresh pooled reference of 8 windows,
        // exactly as a key that starts now
        var restored = harness(countSettings("fixed"));
        restored.initializeState(snapshot);
        restored.open();
        for (SeriesRecord r : data.subList(20 * WINDOW, data.size())) {
            restored.processElement(r, r.ts());
        }
        List<DriftEvent> ev = events(restored);
        restored.close();
        assertThat(ev).isNotEmpty();
        assertThat(ev.get(0).windowStart()).isEqualTo(21L * WINDOW);
        assertThat(ev.get(0).referenceStart()).isEqualTo(20L * WINDOW);
        assertThat(ev.get(7).windowStart()).isEqualTo(28L * WINDOW);
        assertThat(ev.get(7).referenceStart()).isEqualTo(20L * WINDOW);
        assertThat(ev.get(7).nRef()).isEqualTo(8L * WINDOW);
    }

    @Test
    void aLabelledSeasonalKeyRestoredUnderPreviousOrLastKStartsItsReferenceAfresh() throws Exception {
        WindowSpec w = WindowSpec.ofCount(WINDOW);
        DriftSettings seasonal = DriftSettings.defaults(w).withReference(ReferencePolicy.parse("seasonal:" + 3 * WINDOW, w));
        List<SeriesRecord> data = new ArrayList<>();
        for (SeriesRecord r : series("k", 30 * WINDOW, 30 * WINDOW, 0.0, 27)) {
            data.add(new SeriesRecord(r.key(), r.ts(), r.features(), null, r.ts() % 3 == 0 ? "x" : "y"));
        }
        var first = harness(seasonal);
        first.open();
        for (SeriesRecord r : data.subList(0, 10 * WINDOW)) {
            first.processElement(r, r.ts());
        }
        OperatorSubtaskState snapshot = first.snapshot(1L, 1L);
        first.close();
        for (String policy : new String[] {"previous", "last-3"}) {
            // the stored windows are labelled reservoirs, not window sketches: the first window
            // after the restore has no reference, the second compares with the first
            var restored = harness(countSettings(policy));
            restored.initializeState(snapshot);
            restored.open();
            for (SeriesRecord r : data.subList(10 * WINDOW, 13 * WINDOW)) {
                restored.processElement(r, r.ts());
            }
            List<DriftEvent> ev = events(restored);
            restored.close();
            assertThat(ev).as(policy).hasSize(2);
            assertThat(ev.get(0).windowStart()).isEqualTo(11L * WINDOW);
            assertThat(ev.get(0).referenceStart()).isEqualTo(10L * WINDOW);
        }
    }

    @Test
    void aSeasonalKeyKeepsThePeriodOnceInStateAndALabelledOneItsLabelledReservoirs() throws Exception {
        WindowSpec w = WindowSpec.ofCount(100);
        DriftSettings s = DriftSettings.defaults(w).withReference(ReferencePolicy.parse("seasonal:2000", w));
        List<SeriesRecord> plain = series("a", 30 * 100, 30 * 100, 0.0, 26);
        List<SeriesRecord> labelled = new ArrayList<>();
        for (SeriesRecord r : plain) {
            labelled.add(new SeriesRecord(r.key(), r.ts(), r.features(), null, r.ts() % 2 == 0 ? "x" : "y"));
        }
        long[] size = new long[2];
        int t = 0;
        for (List<SeriesRecord> data : List.of(plain, labelled)) {
            var h = harness(s);
            h.open();
            for (SeriesRecord r : data) {
                h.processElement(r, r.ts());
            }
            OperatorSubtaskState snap = h.snapshot(1L, 1L);
            size[t++] = snap.getManagedKeyedState().stream().mapToLong(org.apache.flink.runtime.state.StateObject::getStateSize).sum();
            h.close();
        }
        // Without labels the detector's reservoirs of the period stay, and the newest window's
        // sketch. With labels the period's labelled reservoirs stay too, for MEDA's mu, and nothing
        // else of those windows: at most 20 reservoirs of 100 labelled rows more (plus a key and a
        // span each), where 20 window sketches would add their KLL and Fourier parts, more than
        // the reservoirs again.
        ReservoirSketch one = new ReservoirSketch(3, 256, true, 1);
        for (int i = 0; i < 100; i++) {
            one.update(new double[] {i, i, i}, i % 2);
        }
        long reservoirs = 20L * one.toBytes().length;
        assertThat(size[0]).isPositive();
        assertThat(size[1] - size[0]).isBetween(reservoirs * 3 / 4, reservoirs + 20L * 64);
    }
}
