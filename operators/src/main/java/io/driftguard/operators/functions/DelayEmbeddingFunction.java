package io.driftguard.operators.functions;

import io.driftguard.operators.record.SeriesRecord;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.array.DoublePrimitiveArraySerializer;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Delay-embeds each key's records ({@link LagEmbedding}) ahead of the drift evaluator.
 *
 * <p>A key's state is its last {@code span} records' features in a ring, plus their count: {@code
 * 8 (1 + span d)} bytes. Per record it copies {@code d dimension} values into a new record; no
 * other work. A key's first {@code span} records only fill the ring and are not forwarded (an
 * embedding needs its lags). Lags follow the order in which a key's records arrive, which is
 * their order in a file replay and within a Kafka partition. A record whose dimension differs
 * from the key's is forwarded as it is, and the evaluator dead-letters it with its dimension.
 */
public final class DelayEmbeddingFunction extends KeyedProcessFunction<String, SeriesRecord, SeriesRecord> {

    private static final long serialVersionUID = 1L;

    private final LagEmbedding embedding;
    private final Duration stateTtl;

    private transient ValueState<double[]> ring;
    // the embedded names of the last input names seen: parsers share one names array per schema
    private transient String[] lastNames;
    private transient int lastDimension;
    private transient String[] embeddedNames;

    /**
     * @param embedding the embedding, enabled
     * @param stateTtl a key's ring expires after this long without a record (zero: never)
     */
    public DelayEmbeddingFunction(LagEmbedding embedding, Duration stateTtl) {
        if (!embedding.enabled()) {
            throw new IllegalArgumentException("an embedding of dimension 1 needs no operator");
        }
        if (stateTtl.isNegative()) {
            throw new IllegalArgumentException("state TTL must not be negative: " + stateTtl);
        }
        this.embedding = embedding;
        this.stateTtl = stateTtl;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<double[]> d = new ValueStateDescriptor<>("embedding-ring", DoublePrimitiveArraySerializer.INSTANCE);
        if (!stateTtl.isZero()) {
            d.enableTimeToLive(StateTtlConfig.newBuilder(stateTtl)
                    .setUpdateType(StateTtlConfig.UpdateType.OnReadAndWrite)
                    .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                    .cleanupFullSnapshot()
                    .cleanupIncrementally(10, false)
                    .build());
        }
        ring = getRuntimeContext().getState(d);
    }

    @Override
    public void processElement(SeriesRecord r, Context ctx, Collector<SeriesRecord> out) throws Exception {
        int d = r.dimension();
        int span = embedding.span();
        double[] h = ring.value();
        if (h == null) {
            h = new double[1 + span * d];
        } else if (h.length != 1 + span * d) {
            out.collect(r);
            return;
        }
        // h[0] counts the key's records (exact as a double up to 2^53); record n sits at slot n % span
        long seen = (long) h[0];
        double[] x = r.features();
        if (seen >= span) {
            int m = embedding.dimension();
            int tau = embedding.delay();
            double[] e = new double[d * m];
            System.arraycopy(x, 0, e, 0, d);
            for (int k = 1; k < m; k++) {
                int slot = (int) ((seen - (long) k * tau) % span);
                System.arraycopy(h, 1 + slot * d, e, k * d, d);
            }
            out.collect(new SeriesRecord(r.key(), r.ts(), e, names(r.featureNames(), d), r.label()));
        }
        // the slot of record seen - span, read above at the largest lag, now takes this record
        System.arraycopy(x, 0, h, 1 + (int) (seen % span) * d, d);
        h[0] = seen + 1;
        ring.update(h);
    }

    private String[] names(String[] names, int d) {
        if (embeddedNames == null || names != lastNames || d != lastDimension) {
            lastNames = names;
            lastDimension = d;
            embeddedNames = embedding.names(names, d);
        }
        return embeddedNames;
    }
}
