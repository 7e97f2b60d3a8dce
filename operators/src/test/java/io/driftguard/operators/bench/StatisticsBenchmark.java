package io.driftguard.operators.bench;

import io.driftguard.operators.stats.MedianHeuristic;
import io.driftguard.operators.stats.Mmd;
import io.driftguard.operators.stats.MmdPermutationTest;
import io.driftguard.operators.stats.ProxyADistance;
import io.driftguard.operators.stats.TwoSampleOptions;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Time of the exact statistics at the sizes of the performance targets. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class StatisticsBenchmark {
    private double[][] x1000d16;
    private double[][] y1000d16;
    private double[][] x512d8;
    private double[][] y512d8;
    private double[][] x2000d16;
    private double[][] y2000d16;
    private double sigma16;
    private double sigma8;
    private double[] grid8;

    @Setup
    public void setUp() {
        x1000d16 = BenchData.gaussian(1000, 16, 0, 1);
        y1000d16 = BenchData.gaussian(1000, 16, 0.1, 2);
        x512d8 = BenchData.gaussian(512, 8, 0, 3);
        y512d8 = BenchData.gaussian(512, 8, 0.1, 4);
        x2000d16 = BenchData.gaussian(2000, 16, 0, 5);
        y2000d16 = BenchData.gaussian(2000, 16, 0.1, 6);
        sigma16 = MedianHeuristic.sigma(x1000d16, y1000d16, 1);
        sigma8 = MedianHeuristic.sigma(x512d8, y512d8, 1);
        grid8 = MmdPermutationTest.bandwidthGrid(sigma8, TwoSampleOptions.DEFAULT_MULTIPLIERS);
    }

    /** Exact unbiased MMD^2, m = n = 1000, d = 16. */
    @Benchmark
    public double mmd2Exact1000d16() {
        return Mmd.unbiased(x1000d16, y1000d16, sigma16);
    }

    /** Median heuristic on 2000 pooled points (subsample of 1000), d = 16. */
    @Benchmark
    public double medianHeuristic1000d16() {
        return MedianHeuristic.sigma(x1000d16, y1000d16, 7);
    }

    /** Single-bandwidth permutation p-value, B = 500, m = n = 512, d = 8. */
    @Benchmark
    public double permutation500m512d8() {
        return MmdPermutationTest.test(x512d8, y512d8, sigma8, 500, 9).pValue();
    }

    /** Five-bandwidth aggregated permutation test, B = 500, m = n = 512, d = 8. */
    @Benchmark
    public double multiBandwidth500m512d8() {
        return MmdPermutationTest.testMultiBandwidth(x512d8, y512d8, grid8, 500, 9).pValue();
    }

    /** Proxy A-distance, 1000 per side (n = 2000), d = 16. */
    @Benchmark
    public double aDistance1000PerSideD16() {
        return ProxyADistance.compute(x1000d16, y1000d16, 11);
    }

    /** Proxy A-distance, 2000 per side (n = 4000), d = 16. */
    @Benchmark
    public double aDistance2000PerSideD16() {
        return ProxyADistance.compute(x2000d16, y2000d16, 11);
    }
}
