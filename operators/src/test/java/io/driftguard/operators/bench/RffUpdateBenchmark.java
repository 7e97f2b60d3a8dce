package io.driftguard.operators.bench;

import io.driftguard.operators.sketch.RffBasis;
import io.driftguard.operators.sketch.RffSketch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Time of one random Fourier sketch update at d = 8 (pairs = D/2 frequencies, sin/cos each). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RffUpdateBenchmark {
    @Param({"128", "256"})
    public int pairs;

    private RffSketch sketch;
    private double[][] rows;
    private int next;

    @Setup
    public void setUp() {
        sketch = new RffSketch(new RffBasis(8, pairs, 3.0, 1));
        rows = BenchData.gaussian(1024, 8, 0, 2);
    }

    @Benchmark
    public long update() {
        sketch.update(rows[next++ & 1023]);
        return sketch.count();
    }
}
