package io.driftguard.operators.model.train;

import io.driftguard.operators.model.Architecture;
import io.driftguard.operators.model.ModelKind;
import io.driftguard.operators.model.Predictor;
import io.driftguard.operators.model.Task;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ScratchBench {
    @Test
    void steps() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Architecture arch = new Architecture(ModelKind.MLP, 8, new int[] {32}, 6, 1);
        ModelGraph g = ModelGraph.build(arch, Task.CLASSIFICATION, DataType.FLOAT, null);
        g.setWeights(Predictor.initialWeights(arch, 1));
        for (int b : new int[] {64, 128, 256, 512, 1024, 128, 256}) {
            Map<String, INDArray> feed = new HashMap<>();
            feed.put("x", Nd4j.rand(DataType.FLOAT, b, 8));
            INDArray y = Nd4j.zeros(DataType.FLOAT, b, 6);
            for (int i = 0; i < b; i++) y.putScalar(i, i % 6, 1f / b);
            feed.put("y", y);
            List<String> vars = g.trainableNames();
            for (int i = 0; i < 30; i++) g.sameDiff().calculateGradients(feed, vars);
            int n = 200;
            long w0 = System.nanoTime(), c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) Nd4jTrainer.gradients(g, feed, vars, 1e-4);
            long w1 = System.nanoTime(), c1 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) g.sameDiff().output(feed, "taskLoss");
            long w2 = System.nanoTime(), c2 = mx.getCurrentThreadCpuTime();
            System.out.printf("batch %d: grad %.3f ms wall %.3f cpu; out %.3f wall %.3f cpu%n", b,
                    (w1 - w0) / 1e6 / n, (c1 - c0) / 1e6 / n, (w2 - w1) / 1e6 / n, (c2 - c1) / 1e6 / n);
        }
    }
}
