package io.driftguard.operators.model.train;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ScratchBench2 {
    @Test
    void minimal() {
        Nd4jRuntime.ensureReady();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 8);
        SDVariable yw = sd.placeHolder("yw", DataType.FLOAT, -1, 6);
        SDVariable w0 = sd.var("w0", Nd4j.rand(DataType.FLOAT, 8, 32).subi(0.5));
        SDVariable b0 = sd.var("b0", Nd4j.zeros(DataType.FLOAT, 1, 32));
        SDVariable w1 = sd.var("w1", Nd4j.rand(DataType.FLOAT, 32, 6).subi(0.5));
        SDVariable b1 = sd.var("b1", Nd4j.zeros(DataType.FLOAT, 1, 6));
        SDVariable h = sd.nn().relu(x.mmul(w0).add(b0), 0);
        SDVariable z = h.mmul(w1).add(b1);
        SDVariable loss = yw.mul(sd.nn().logSoftmax(z)).sum().neg().rename("loss");
        sd.setLossVariables(loss);
        for (int b : new int[] {128, 256, 512, 128, 256}) {
            Map<String, INDArray> feed = new HashMap<>();
            feed.put("x", Nd4j.rand(DataType.FLOAT, b, 8));
            INDArray y = Nd4j.zeros(DataType.FLOAT, b, 6);
            for (int i = 0; i < b; i++) y.putScalar(i, i % 6, 1f / b);
            feed.put("yw", y);
            List<String> vars = List.of("w0", "b0", "w1", "b1");
            for (int i = 0; i < 30; i++) sd.calculateGradients(feed, vars);
            int n = 200;
            long w0t = System.nanoTime(), c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) sd.calculateGradients(feed, vars);
            long w1t = System.nanoTime(), c1 = mx.getCurrentThreadCpuTime();
            System.out.printf("minimal batch %d: grad %.3f ms wall %.3f cpu%n", b, (w1t - w0t) / 1e6 / n, (c1 - c0) / 1e6 / n);
        }
    }
}
