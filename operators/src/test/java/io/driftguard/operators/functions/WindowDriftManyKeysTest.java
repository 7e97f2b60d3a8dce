package io.driftguard.operators.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.record.SeriesRecord;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The evaluator's heap with many keys: 1,000,000 distinct keys of 3 records each (d = 8, the
 * defaults: fixed reference, count windows of 500, TTL 7 days) on the heap state backend, the
 * retained heap measured after GC. About 40 s on 2 cores; {@code -Ddriftguard.keys=N} runs it with
 * fewer keys.
 */
class WindowDriftManyKeysTest {

    static final int KEYS = Integer.getInteger("driftguard.keys", 1_000_000);
    static final int RECORDS = 3;
    static final int D = 8;

    /**
     * Heap per key with a few records in its open window: the state table's entries, the key,
     * the TTL wrappers, the key's meta and its open window's sketch (moments, a reservoir and a
     * stage that hold room for 4 records and grow as records come).
     */
    static final long HEAP_BUDGET_PER_KEY = 1_536;

    @Test
    void aMillionKeysOfAFewRecordsEachFitTheirHeapBudget() throws Exception {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        var h = new KeyedOneInputStreamOperatorTestHarness<String, SeriesRecord, DriftEvent>(
                new KeyedProcessOperator<>(new WindowDriftFunction(DriftSettings.defaults(WindowSpec.ofCount(500)),
                        Duration.ofDays(7))),
                SeriesRecord::key, Types.STRING);
        h.setStateTtlProcessingTime(0);
        h.open();
        String[] keys = new String[KEYS];
        for (int k = 0; k < KEYS; k++) {
            keys[k] = "key-" + k;
        }
        long before = retained(mem);
        SplittableRandom r = new SplittableRandom(7);
        long t0 = System.nanoTime();
        for (int i = 0; i < RECORDS; i++) {
            for (int k = 0; k < KEYS; k++) {
                double[] x = new double[D];
                for (int f = 0; f < D; f++) {
                    x[f] = r.nextDouble();
                }
                h.processElement(new SeriesRecord(keys[k], i, x, null, null), i);
            }
        }
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        long after = retained(mem);
        long perKey = (after - before) / KEYS;
        System.out.printf("evaluator heap: %d keys of %d records (d = %d): %,d bytes retained, %,d bytes per key,"
                + " fed in %d s%n", KEYS, RECORDS, D, after - before, perKey, seconds);

        // every key holds its open window: none closed, so nothing was emitted
        KeyedStateBackend<String> b = h.getOperator().getKeyedStateBackend();
        try (var open = b.getKeys("open-window", VoidNamespace.INSTANCE)) {
            assertThat(open.count()).isEqualTo(KEYS);
        }
        assertThat(h.getOutput()).isEmpty();
        assertThat(perKey).isPositive().isLessThanOrEqualTo(HEAP_BUDGET_PER_KEY);
        assertThat(after - before).isLessThanOrEqualTo(KEYS * HEAP_BUDGET_PER_KEY);
        h.close();
    }

    /** Heap in use after full collections (the key strings are held throughout, so not counted). */
    private static long retained(MemoryMXBean mem) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
