package io.driftguard.operators.bench;

import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.functions.DriftSettings;
import io.driftguard.operators.functions.ReferencePolicy;
import io.driftguard.operators.functions.WindowDriftFunction;
import io.driftguard.operators.functions.WindowSpec;
import io.driftguard.operators.record.SeriesRecord;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * Time per record of the keyed drift function alone, in Flink's operator test harness with the
 * heap state backend: 50 keys (a subtask's share of the throughput bench's 100 at parallelism 2),
 * d = 8, one record per key and millisecond, one-minute event-time windows against the previous
 * window, a watermark every 100 ms of event time. With {@code sketches=false} the function only
 * cuts windows, as the bench's sketches-off side; the difference is the sketches' cost per
 * record, window evaluations included, without parsing and network in between.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WindowDriftFunctionBenchmark {
    static final int KEYS = 50;

    @Param({"true", "false"})
    boolean sketches;

    private KeyedOneInputStreamOperatorTestHarness<String, SeriesRecord, DriftEvent> harness;
    private double[][] rows;
    private String[] keys;
    private StreamRecord<SeriesRecord> element;
    private long ts;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        WindowSpec w = WindowSpec.ofMillis(60_000);
        DriftSettings s = DriftSettings.defaults(w).withReference(ReferencePolicy.parse("previous", w))
                .withSketches(sketches);
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new WindowDriftFunction(s)), SeriesRecord::key, Types.STRING);
        harness.open();
        // 4096 rows per key, reused: the rows' values do not change the cost
        rows = BenchData.gaussian(4096, 8, 0, 5);
        keys = new String[KEYS];
        for (int k = 0; k < KEYS; k++) {
            keys[k] = "k" + k;
        }
        element = new StreamRecord<>(null);
        ts = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        harness.close();
    }

    /** One millisecond of event time: one record for each key. */
    @Benchmark
    @OperationsPerInvocation(KEYS)
    public int millisecond() throws Exception {
        for (int k = 0; k < KEYS; k++) {
            SeriesRecord r = new SeriesRecord(keys[k], ts, rows[(int) (ts * KEYS + k) & 4095], null, null);
            harness.processElement(element.replace(r, ts));
        }
        ts++;
        if (ts % 100 == 0) {
            harness.processWatermark(ts - 1);
            harness.getOutput().clear();
        }
        return KEYS;
    }
}
