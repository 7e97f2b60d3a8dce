package io.driftguard.operators.functions;

import io.driftguard.operators.detect.PooledReferenceDetector;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;

/** The state serializer of the pooled reference detector, under Flink's serializer contract tests. */
class PooledReferenceSerializerTest extends SerializerTestBase<PooledReferenceDetector> {

    PooledReferenceSerializerTest() {
        // detectors compare by their versioned byte form
        super(new DeeplyEqualsChecker()
                .withCustomCheck(
                        (a, b) -> a instanceof PooledReferenceDetector && b instanceof PooledReferenceDetector,
                        (a, b, checker) ->
                                Arrays.equals(
                                        ((PooledReferenceDetector) a).toBytes(),
                                        ((PooledReferenceDetector) b).toBytes())));
    }

    @Override
    protected TypeSerializer<PooledReferenceDetector> createSerializer() {
        return PooledReferenceSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<PooledReferenceDetector> getTypeClass() {
        return PooledReferenceDetector.class;
    }

    @Override
    protected boolean allowNullInstances(TypeSerializer<PooledReferenceDetector> serializer) {
        return true; // a detector needs its settings; there is no empty default instance
    }

    @Override
    protected PooledReferenceDetector[] getTestData() {
        SplittableRandom r = new SplittableRandom(7);
        PooledReferenceDetector fresh = PooledReferenceDetector.fixed(PooledReferenceDetector.settings(1000));
        PooledReferenceDetector pooling = PooledReferenceDetector.fixed(PooledReferenceDetector.settings(1000));
        PooledReferenceDetector deciding = PooledReferenceDetector.fixed(PooledReferenceDetector.settings(500));
        PooledReferenceDetector seasonal = PooledReferenceDetector.seasonal(PooledReferenceDetector.settings(1000), 3);
        for (int w = 0; w < 12; w++) {
            double[][] rows = new double[20][2];
            for (double[] x : rows) {
                x[0] = r.nextDouble();
                x[1] = r.nextDouble() * 5;
            }
            if (w < 3) {
                pooling.onWindow(rows);
            }
            deciding.onWindow(new PooledReferenceDetector.Window(w * 20L, w * 20L + 20, 40, rows));
            seasonal.onWindow(rows);
        }
        return new PooledReferenceDetector[] {fresh, pooling, deciding, seasonal};
    }
}
