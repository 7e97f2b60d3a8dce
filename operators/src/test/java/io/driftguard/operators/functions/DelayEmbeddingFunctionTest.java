package io.driftguard.operators.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.operators.record.SeriesRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class DelayEmbeddingFunctionTest {

    private static final String[] NAMES = {"a", "b"};

    private static KeyedOneInputStreamOperatorTestHarness<String, SeriesRecord, SeriesRecord> harness(LagEmbedding e)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DelayEmbeddingFunction(e, Duration.ofDays(1))), SeriesRecord::key,
                Types.STRING);
    }

    /** Record n of a key: features (n, 10 n) plus the key's offset, so keys never share values. */
    private static SeriesRecord record(String key, int n) {
        double off = key.equals("k") ? 0 : 1000;
        return new SeriesRecord(key, 100L * n, new double[] {off + n, off + 10 * n}, NAMES, "y" + n);
    }

    private static List<SeriesRecord> out(KeyedOneInputStreamOperatorTestHarness<String, SeriesRecord, SeriesRecord> h) {
        List<SeriesRecord> o = new ArrayList<>();
        for (Object x : h.getOutput()) {
            if (x instanceof StreamRecord<?> r) {
                o.add((SeriesRecord) r.getValue());
            }
        }
        return o;
    }

    @Test
    void eachRecordCarriesItsLagsAfterTheKeysFirstSpanRecords() throws Exception {
        var h = harness(new LagEmbedding(3, 2));
        h.open();
        for (int n = 0; n < 10; n++) {
            h.processElement(record("k", n), 100L * n);
        }
        List<SeriesRecord> o = out(h);
        // lags 2 and 4: the first 4 records only fill the ring
        assertThat(o).hasSize(6);
        for (int i = 0; i < o.size(); i++) {
            int n = i + 4;
            SeriesRecord r = o.get(i);
            assertThat(r.features()).containsExactly(n, 10 * n, n - 2, 10 * (n - 2), n - 4, 10 * (n - 4));
            assertThat(r.ts()).isEqualTo(100L * n);
            assertThat(r.label()).isEqualTo("y" + n);
            assertThat(r.featureNames()).containsExactly("a", "b", "a@lag2", "b@lag2", "a@lag4", "b@lag4");
        }
        h.close();
    }

    @Test
    void keysKeepTheirOwnLagsAndARestoreContinuesWhereItStopped() throws Exception {
        LagEmbedding e = new LagEmbedding(2, 3);
        var straight = harness(e);
        straight.open();
        for (int n = 0; n < 12; n++) {
            straight.processElement(record("k", n), n);
            straight.processElement(record("j", n), n);
        }
        List<SeriesRecord> expected = out(straight);
        straight.close();

        var before = harness(e);
        before.open();
        for (int n = 0; n < 5; n++) {
            before.processElement(record("k", n), n);
            before.processElement(record("j", n), n);
        }
        List<SeriesRecord> got = new ArrayList<>(out(before));
        OperatorSubtaskState snap = before.snapshot(1, 1);
        before.close();
        var after = harness(e);
        after.initializeState(snap);
        after.open();
        for (int n = 5; n < 12; n++) {
            after.processElement(record("k", n), n);
            after.processElement(record("j", n), n);
        }
        got.addAll(out(after));
        after.close();

        assertThat(got).hasSize(2 * (12 - 3));
        assertThat(got.stream().map(r -> r.key() + Arrays.toString(r.features())).toList())
                .isEqualTo(expected.stream().map(r -> r.key() + Arrays.toString(r.features())).toList());
        // key j's lags are its own records: 1000 + n - 3, never key k's
        SeriesRecord j7 = got.stream().filter(r -> r.key().equals("j") && r.ts() == 700).findFirst().orElseThrow();
        assertThat(j7.features()).containsExactly(1007, 1070, 1004, 1040);
    }

    @Test
    void aRecordOfAnotherDimensionIsForwardedForTheEvaluatorToRefuse() throws Exception {
        var h = harness(new LagEmbedding(2, 1));
        h.open();
        h.processElement(record("k", 0), 0);
        SeriesRecord odd = new SeriesRecord("k", 1, new double[] {1, 2, 3}, null, null);
        h.processElement(odd, 1);
        assertThat(out(h)).containsExactly(odd);
        h.close();
    }

    @Test
    void embeddingsAreValidatedAndNamedWithoutNames() {
        assertThat(new LagEmbedding(3, 5).span()).isEqualTo(10);
        assertThat(LagEmbedding.NONE.enabled()).isFalse();
        assertThat(new LagEmbedding(2, 4).names(null, 2)).containsExactly("f0", "f1", "f0@lag4", "f1@lag4");
        assertThatThrownBy(() -> new LagEmbedding(0, 1)).hasMessageContaining("dimension");
        assertThatThrownBy(() -> new LagEmbedding(2, 0)).hasMessageContaining("delay");
        assertThatThrownBy(() -> new DelayEmbeddingFunction(LagEmbedding.NONE, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
