package io.driftguard.operators.bench;

import io.driftguard.operators.detect.WindowStatistics;
import io.driftguard.operators.stats.MedianHeuristic;
import io.driftguard.operators.stats.MmdPermutationTest;
import io.driftguard.operators.stats.ProxyADistance;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The steps of one window evaluation in the streaming job at its default sizes: reservoirs of 256
 * records per side, d = 8.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WindowEvaluationBenchmark {
    private double[][] ref;
    private double[][] cur;
    private double sigma;
    private WindowStatistics statistics;
    private double[][] moved;
    private double movedSigma;
    private double[] movedSigmas;
    private List<double[][]> pooled;

    @Setup
    public void setUp() {
        ref = BenchData.gaussian(256, 8, 0, 21);
        cur = BenchData.gaussian(256, 8, 0.1, 22);
        sigma = MedianHeuristic.sigma(ref, cur, 1);
        statistics = new WindowStatistics(List.<double[][]>of(ref));
        pooled = new java.util.ArrayList<>();
        for (int w = 0; w < 8; w++) {
            pooled.add(BenchData.gaussian(256, 8, 0, 100 + w));
        }
        moved = BenchData.gaussian(256, 8, 0.5, 23);
        movedSigma = MedianHeuristic.sigma(ref, moved, 1);
        // the streaming job's grid (PairedReferenceDetector.BANDWIDTH_MULTIPLIERS)
        movedSigmas = MmdPermutationTest.bandwidthGrid(movedSigma, new double[] {0.25, 0.5, 1.0, 2.0, 4.0});
    }

    /** Median heuristic over all pairs of the 512 pooled records. */
    @Benchmark
    public double medianHeuristic() {
        return MedianHeuristic.sigma(ref, cur, 7);
    }

    /** First stage of the two-stage permutation test (63 permutations). */
    @Benchmark
    public double permutationFirstStage() {
        return MmdPermutationTest.testTwoStage(ref, cur, sigma, 63, 0.25, 63, 9).pValue();
    }

    /**
     * Both stages of the test on a window that moved (0.5 sd in every feature), as the job runs
     * them for a window whose first-stage p-value is below 0.1: 63, then 200 permutations.
     */
    @Benchmark
    public double permutationBothStagesMoved() {
        return MmdPermutationTest.testTwoStage(ref, moved, movedSigma, 63, 0.1, 200, 9).pValue();
    }

    /**
     * The aggregated test over the job's five bandwidths on the moved window, both stages: what
     * an alarm, or a large effect on a key without calibration history, adds to its evaluation.
     */
    @Benchmark
    public double multiBandwidthBothStagesMoved() {
        return MmdPermutationTest.testMultiBandwidthTwoStage(ref, moved, movedSigmas, 63, 0.1, 200, 9).pValue();
    }

    /** Window statistics with a reference built for this window (reference policy: previous). */
    @Benchmark
    public double windowStatisticsNewReference() {
        return new WindowStatistics(List.<double[][]>of(ref)).statistics(cur)[0];
    }

    /**
     * A pooled reference of 8 windows of 256 records built (the {@code fixed} policy, once per key
     * and per confirmed change): its kernel sums and the herded rows.
     */
    @Benchmark
    public double pooledReferenceBuild() {
        return new WindowStatistics(pooled).sigma();
    }

    /** Window statistics against a reference built once. */
    @Benchmark
    public double windowStatistics() {
        return statistics.statistics(cur)[0];
    }

    /** Proxy A-distance, 256 per side. */
    @Benchmark
    public double aDistance() {
        return ProxyADistance.compute(ref, cur, 11);
    }
}
