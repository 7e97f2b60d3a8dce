package io.driftguard.operators.functions;

import io.driftguard.operators.sketch.SketchConfig;
import io.driftguard.operators.sketch.WindowSketch;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;

/** The state serializer of window sketches, under Flink's common serializer contract tests. */
class WindowSketchSerializerTest extends SerializerTestBase<WindowSketch> {

    WindowSketchSerializerTest() {
        // sketches compare by their versioned byte form
        super(new DeeplyEqualsChecker()
                .withCustomCheck(
                        (a, b) -> a instanceof WindowSketch && b instanceof WindowSketch,
                        (a, b, checker) ->
                                Arrays.equals(((WindowSketch) a).toBytes(), ((WindowSketch) b).toBytes())));
    }

    @Override
    protected TypeSerializer<WindowSketch> createSerializer() {
        return WindowSketchSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<WindowSketch> getTypeClass() {
        return WindowSketch.class;
    }

    @Override
    protected boolean allowNullInstances(TypeSerializer<WindowSketch> serializer) {
        return true; // a sketch needs its configuration; there is no empty default instance
    }

    @Override
    protected WindowSketch[] getTestData() {
        SketchConfig plain = new SketchConfig(3, 16, 8, 4, 11);
        SketchConfig labelled = new SketchConfig(2, 8, 8, 2, 5, true);
        SplittableRandom r = new SplittableRandom(3);
        WindowSketch empty = WindowSketch.create(plain);
        WindowSketch some = WindowSketch.create(plain);
        WindowSketch withRff = WindowSketch.create(plain, plain.rffBasis(1.5));
        WindowSketch withLabels = WindowSketch.create(labelled);
        for (int i = 0; i < 100; i++) {
            double[] x = {r.nextDouble(), r.nextDouble() * 10, -r.nextDouble()};
            some.update(x);
            withRff.update(x);
            withLabels.update(new double[] {x[0], x[1]}, i % 3);
        }
        return new WindowSketch[] {empty, some, withRff, withLabels};
    }
}
