package io.driftguard.operators.bench;

import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.functions.DriftSettings;
import io.driftguard.operators.functions.ReferencePolicy;
import io.driftguard.operators.functions.WindowDriftFunction;
import io.driftguard.operators.functions.WindowSpec;
import io.driftguard.operators.record.SeriesRecord;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The keyed drift function alone on {@code bench throughput}'s short-window case: the same
 * records (100 keys, d = 8, a mean shift of 0.5 in the first feature half way, rounded to five
 * decimals, each key's records numbered as the CSV replay numbers them), count windows of 1,000
 * records under the {@code fixed} reference, so each key sees 20 windows: a pooled reference
 * built from its first 8, none calibrated. One operation replays all 2,000,000 records through a
 * fresh operator (Flink's test harness, heap state backend) on one thread; the score is per
 * record. With {@code sketches=false} the function only cuts windows, as the bench's sketches-off
 * side, so the difference is the sketches' cost per record with every window's evaluation and the
 * pooled reference builds included, without parsing, network or a second subtask beside it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ShortWindowReplayBenchmark {
    static final int KEYS = 100;
    static final int DIM = 8;
    static final int RECORDS = 2_000_000;

    @Param({"true", "false"})
    boolean sketches;

    private double[][] rows;
    private String[] keys;

    @Setup(Level.Trial)
    public void setUp() {
        // BenchThroughputCommand's CSV, without the text round trip
        SplittableRandom rnd = new SplittableRandom(7);
        rows = new double[RECORDS][DIM];
        for (int i = 0; i < RECORDS; i++) {
            double shift = i > RECORDS / 2 ? 0.5 : 0.0;
            for (int f = 0; f < DIM; f++) {
                double u = rnd.nextDouble();
                double v = rnd.nextDouble();
                double g = Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
                rows[i][f] = Math.round((g + (f == 0 ? shift : 0)) * 1e5) / 1e5;
            }
        }
        keys = new String[KEYS];
        for (int k = 0; k < KEYS; k++) {
            keys[k] = "k" + k;
        }
    }

    /** All records through a fresh operator; returns the events emitted (1,900 with sketches). */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public int replay() throws Exception {
        WindowSpec w = WindowSpec.ofCount(1000);
        DriftSettings s = DriftSettings.defaults(w).withReference(ReferencePolicy.parse("fixed", w))
                .withSketches(sketches);
        KeyedOneInputStreamOperatorTestHarness<String, SeriesRecord, DriftEvent> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new WindowDriftFunction(s)), SeriesRecord::key, Types.STRING);
        harness.open();
        StreamRecord<SeriesRecord> element = new StreamRecord<>(null);
        for (int i = 0; i < RECORDS; i++) {
            long ts = i / KEYS;
            harness.processElement(element.replace(new SeriesRecord(keys[i % KEYS], ts, rows[i], null, null), ts));
        }
        int events = harness.getOutput().size();
        harness.close();
        return events;
    }
}
