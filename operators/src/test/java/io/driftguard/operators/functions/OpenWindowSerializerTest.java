package io.driftguard.operators.functions;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.operators.detect.ChangeBlocks;
import io.driftguard.operators.sketch.SketchConfig;
import io.driftguard.operators.sketch.WindowSketch;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;
import org.junit.jupiter.api.Test;

/** The state serializer of open event-time windows, under Flink's serializer contract tests. */
class OpenWindowSerializerTest extends SerializerTestBase<OpenWindow> {

    OpenWindowSerializerTest() {
        // open windows compare by their versioned byte form
        super(new DeeplyEqualsChecker()
                .withCustomCheck(
                        (a, b) -> a instanceof OpenWindow && b instanceof OpenWindow,
                        (a, b, checker) ->
                                Arrays.equals(((OpenWindow) a).toBytes(), ((OpenWindow) b).toBytes())));
    }

    @Override
    protected TypeSerializer<OpenWindow> createSerializer() {
        return OpenWindowSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<OpenWindow> getTypeClass() {
        return OpenWindow.class;
    }

    @Override
    protected boolean allowNullInstances(TypeSerializer<OpenWindow> serializer) {
        return true; // a window needs its sketch's configuration; there is no empty default
    }

    @Override
    protected OpenWindow[] getTestData() {
        SketchConfig plain = new SketchConfig(3, 16, 8, 4, 11);
        SplittableRandom r = new SplittableRandom(3);
        WindowSketch empty = WindowSketch.create(plain);
        WindowSketch withRff = WindowSketch.create(plain, plain.rffBasis(1.5));
        double[] blocks = ChangeBlocks.create();
        for (int i = 0; i < 100; i++) {
            double[] x = {r.nextDouble(), r.nextDouble() * 10, -r.nextDouble()};
            withRff.update(x);
            ChangeBlocks.add(blocks, i / 7, x[1], i);
        }
        return new OpenWindow[] {
            new OpenWindow(empty, null), new OpenWindow(withRff, null), new OpenWindow(withRff.copy(), blocks)
        };
    }

    @Test
    void badBytesAreRejected() {
        WindowSketch sketch = WindowSketch.create(new SketchConfig(3, 16, 8, 4, 11));
        byte[] good = new OpenWindow(sketch, ChangeBlocks.create()).toBytes();
        assertThatThrownBy(() -> OpenWindow.fromBytes(new byte[] {9, 0})).hasMessageContaining("version 9");
        byte[] flag = good.clone();
        flag[1] = 2;
        assertThatThrownBy(() -> OpenWindow.fromBytes(flag)).hasMessageContaining("flag");
        assertThatThrownBy(() -> OpenWindow.fromBytes(Arrays.copyOf(good, 40))).hasMessageContaining("blocks");
    }
}
