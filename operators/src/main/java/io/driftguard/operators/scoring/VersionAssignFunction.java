package io.driftguard.operators.scoring;

import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelCodec;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Gives trained versions their final number, keyed by model id, so that versions increase per id
 * even when several keys train a shared model at once: a candidate keeps its proposed number
 * (the newest the scoring operator knew, plus one) unless this id already issued that number or
 * a higher one. The last number issued is checkpointed.
 */
public class VersionAssignFunction extends KeyedProcessFunction<String, byte[], byte[]> {

    private static final long serialVersionUID = 1L;

    private transient ValueState<Long> lastIssued;

    /** Key selector: the model id inside the codec bytes. */
    public static final KeySelector<byte[], String> MODEL_ID = b -> ModelCodec.decode(b).modelId();

    @Override
    public void open(OpenContext openContext) {
        lastIssued = getRuntimeContext().getState(new ValueStateDescriptor<>("last-version", Types.LONG));
    }

    @Override
    public void processElement(byte[] bytes, Context ctx, Collector<byte[]> out) throws Exception {
        ModelArtifact a = ModelCodec.decode(bytes);
        Long last = lastIssued.value();
        if (last != null && a.version() <= last) {
            a = a.republish(last + 1, a.status(), a.reason(), a.effectiveFrom(), a.lineage());
            bytes = ModelCodec.encode(a);
        }
        lastIssued.update(a.version());
        out.collect(bytes);
    }
}
