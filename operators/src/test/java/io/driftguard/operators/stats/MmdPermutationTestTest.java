package io.driftguard.operators.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.driftguard.operators.simd.Simd;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MmdPermutationTestTest {

    /** The engine's exact sums come from the same kernel rows as Mmd.sums, in the same order. */
    @Test
    void exactSumsEqualMmdSums() {
        Random r = new Random(12);
        double[][] x = Naive.gaussian(37, 4, 0, 1, r);
        double[][] y = Naive.gaussian(29, 4, 0.3, 1, r);
        PooledData p = PooledData.of(x, y);
        double[] sigmas = {0.5, 1.7};
        Mmd.KernelSums[] sums = PermutationEngine.run(p, sigmas, 3, 1).sums();
        for (int l = 0; l < sigmas.length; l++) {
            assertThat(sums[l]).isEqualTo(Mmd.sums(p, sigmas[l]));
        }
    }

    /**
     * The Vector API kernel and the scalar loop give the same pair sums bit for bit, including
     * sizes that leave one to three rows outside the four-row blocks.
     */
    @Test
    void vectorKernelMatchesScalarLoopExactly() {
        assertThat(Simd.enabled())
                .as("tests run with --add-modules jdk.incubator.vector (parent pom test.argLine)")
                .isTrue();
        Random r = new Random(5);
        int lanes = PermutationEngine.BLOCK;
        for (int size : new int[] {4, 5, 7, 13, 64, 131}) {
            float[] k = new float[size * size];
            for (int i = 0; i < k.length; i++) {
                k[i] = r.nextFloat();
            }
            float[][] w = new float[size][lanes];
            float[] flat = new float[size * lanes];
            for (int j = 0; j < size; j++) {
                for (int c = 0; c < lanes; c++) {
                    float v = r.nextBoolean() ? 1f : 0f;
                    w[j][c] = v;
                    flat[j * lanes + c] = v;
                }
            }
            double[] scalar = new double[lanes];
            double[] vector = new double[lanes];
            PermutationEngine.upperPairSums(k, size, w, scalar, new PermutationEngine.Scratch());
            PermutationEngine.upperPairSumsVector(
                    k, size, flat, vector, new PermutationEngine.Scratch());
            assertThat(vector).as("size %s", size).containsExactly(scalar);
            // And both against the definition, in double.
            for (int c = 0; c < lanes; c++) {
                double ref = 0;
                for (int i = 0; i < size; i++) {
                    for (int j = i + 1; j < size; j++) {
                        ref += w[i][c] * w[j][c] * (double) k[i * size + j];
                    }
                }
                assertThat(scalar[c]).isCloseTo(ref, within(1e-4 * (1 + ref)));
            }
        }
    }

    /** A two-stage test equals the one-stage test with the stage's B, stopped or not. */
    @Test
    void twoStageTestsEqualOneStageTests() {
        Random r = new Random(21);
        double[][] x = Naive.gaussian(60, 3, 0, 1, r);
        double[][] same = Naive.gaussian(60, 3, 0, 1, r);
        double[][] shifted = Naive.gaussian(60, 3, 0.8, 1, r);
        double[] sigmas = {0.6, 1.2, 2.4};
        for (double[][] y : new double[][][] {same, shifted}) {
            double sigma = MedianHeuristic.sigma(x, y, 1);
            MmdTestResult first = MmdPermutationTest.test(x, y, sigma, 63, 17);
            MmdTestResult full = MmdPermutationTest.test(x, y, sigma, 200, 17);
            MmdTestResult two = MmdPermutationTest.testTwoStage(x, y, sigma, 63, 0.25, 200, 17);
            assertThat(two).isEqualTo(first.pValue() >= 0.25 ? first : full);
            MultiBandwidthResult mFirst = MmdPermutationTest.testMultiBandwidth(x, y, sigmas, 63, 17);
            MultiBandwidthResult mFull = MmdPermutationTest.testMultiBandwidth(x, y, sigmas, 200, 17);
            MultiBandwidthResult mTwo =
                    MmdPermutationTest.testMultiBandwidthTwoStage(x, y, sigmas, 63, 0.25, 200, 17);
            MultiBandwidthResult expected = mFirst.pValue() >= 0.25 ? mFirst : mFull;
            assertThat(mTwo.pValue()).isEqualTo(expected.pValue());
            assertThat(mTwo.permutations()).isEqualTo(expected.permutations());
            assertThat(mTwo.pValues()).containsExactly(expected.pValues());
            assertThat(mTwo.mmd2()).containsExactly(expected.mmd2());
        }
        // Both outcomes occur above: the null pair stops early, the shifted one goes on.
        double s0 = MedianHeuristic.sigma(x, same, 1);
        double s1 = MedianHeuristic.sigma(x, shifted, 1);
        assertThat(MmdPermutationTest.testTwoStage(x, same, s0, 63, 0.25, 200, 17).permutations())
                .isEqualTo(63);
        assertThat(MmdPermutationTest.testTwoStage(x, shifted, s1, 63, 0.25, 200, 17).permutations())
                .isEqualTo(200);
    }

    /** The bounded draws are uniform: chi-square over 7 cells stays below its 99.9% quantile. */
    @Test
    void boundedDrawsAreUniform() {
        SplittableRandom random = new SplittableRandom(8);
        int cells = 7;
        int n = 70_000;
        int[] counts = new int[cells];
        for (int i = 0; i < n; i++) {
            int v = PermutationEngine.bounded(random, cells);
            assertThat(v).isBetween(0, cells - 1);
            counts[v]++;
        }
        double expected = (double) n / cells;
        double chi2 = 0;
        for (int c : counts) {
            chi2 += (c - expected) * (c - expected) / expected;
        }
        assertThat(chi2).isLessThan(22.46); // chi-square(6) 99.9% quantile
        assertThat(PermutationEngine.bounded(random, 1)).isZero();
        for (int i = 0; i < 1000; i++) {
            assertThat(PermutationEngine.bounded(random, Integer.MAX_VALUE)).isNotNegative();
        }
    }

    /** Replays the engine's splits naively and recomputes every permuted statistic. */
    @Test
    void permutedStatisticsMatchBruteForce() {
        Random r = new Random(4);
        for (int[] s : new int[][] {{2, 2}, {5, 3}, {30, 41}, {70, 67}}) {
            double[][] x = Naive.gaussian(s[0], 3, 0, 1, r);
            double[][] y = Naive.gaussian(s[1], 3, 0.2, 1, r);
            double[] sigmas = {0.7, 2.0};
            int b = 150;
            double[][] stats = PermutationEngine.run(PooledData.of(x, y), sigmas, b, 99).stats();
            double[][] z = Naive.concat(x, y);
            int[] perm = new int[z.length];
            for (int i = 0; i < perm.length; i++) {
                perm[i] = i;
            }
            SplittableRandom random = new SplittableRandom(99);
            for (int k = 0; k <= b; k++) {
                if (k > 0) {
                    for (int t = 0; t < s[0]; t++) {
                        int j = t + PermutationEngine.bounded(random, z.length - t);
                        int tmp = perm[t];
                        perm[t] = perm[j];
                        perm[j] = tmp;
                    }
                }
                double[][] px = new double[s[0]][];
                double[][] py = new double[s[1]][];
                boolean[] inX = new boolean[z.length];
                for (int t = 0; t < s[0]; t++) {
                    inX[perm[t]] = true;
                }
                int a = 0;
                int c = 0;
                for (int i = 0; i < z.length; i++) {
                    if (inX[i]) {
                        px[a++] = z[i];
                    } else {
                        py[c++] = z[i];
                    }
                }
                for (int l = 0; l < sigmas.length; l++) {
                    assertThat(stats[l][k])
                            .as("split %s bandwidth %s", k, l)
                            .isCloseTo(Naive.mmd2Unbiased(px, py, sigmas[l]), within(2e-6));
                }
            }
        }
    }

    @Test
    void pValueFollowsTheDefinition() {
        double[] s = {0.5, 0.1, 0.5, 0.7, 0.2};
        // #{b >= 1 : s_b >= 0.5} = 2 (the tie counts), p = 3 / 5.
        assertThat(PermutationEngine.pValue(s, 0)).isEqualTo(3.0 / 5);
        assertThat(PermutationEngine.pValue(new double[] {9, 1, 2}, 0)).isEqualTo(1.0 / 3);
    }

    @Test
    void identicalPointsGivePValueOne() {
        double[][] x = {{1, 2}, {1, 2}, {1, 2}};
        double[][] y = {{1, 2}, {1, 2}};
        MmdTestResult r = MmdPermutationTest.test(x, y, 1.0, 50, 1);
        assertThat(r.pValue()).isEqualTo(1.0);
        assertThat(r.mmd2()).isCloseTo(0.0, within(1e-15));
        assertThat(MmdPermutationTest.testMultiBandwidth(x, y, new double[] {0.5, 2}, 50, 1).pValue())
                .isEqualTo(1.0);
    }

    @Test
    void deterministicForASeed() {
        Random r = new Random(8);
        double[][] x = Naive.gaussian(40, 2, 0, 1, r);
        double[][] y = Naive.gaussian(40, 2, 0.3, 1, r);
        double[] grid = MmdPermutationTest.bandwidthGrid(1.3, TwoSampleOptions.DEFAULT_MULTIPLIERS);
        assertThat(MmdPermutationTest.testMultiBandwidth(x, y, grid, 99, 5))
                .isEqualTo(MmdPermutationTest.testMultiBandwidth(x, y, grid, 99, 5));
        assertThat(MmdPermutationTest.test(x, y, 1.3, 99, 5))
                .isEqualTo(MmdPermutationTest.test(x, y, 1.3, 99, 5));
    }

    /**
     * Under H0 the rejection rate at level alpha must lie in the 99% binomial interval around alpha
     * (1000 independent null pairs, B = 199, so P(p <= alpha) = alpha exactly for both levels).
     */
    @Test
    void falsePositiveRateWithinBinomialInterval() {
        int pairs = 1000;
        int n = 50;
        int d = 3;
        int b = 199;
        int[] single = new int[2];
        int[] multi = new int[2];
        double[] levels = {0.05, 0.01};
        for (int k = 0; k < pairs; k++) {
            Random r = new Random(50_000 + k);
            double[][] x = Naive.gaussian(n, d, 0, 1, r);
            double[][] y = Naive.gaussian(n, d, 0, 1, r);
            double sigma = MedianHeuristic.sigma(x, y, k);
            double ps = MmdPermutationTest.test(x, y, sigma, b, k).pValue();
            double pm =
                    MmdPermutationTest.testMultiBandwidth(
                                    x,
                                    y,
                                    MmdPermutationTest.bandwidthGrid(
                                            sigma, TwoSampleOptions.DEFAULT_MULTIPLIERS),
                                    b,
                                    k)
                            .pValue();
            for (int l = 0; l < 2; l++) {
                single[l] += ps <= levels[l] ? 1 : 0;
                multi[l] += pm <= levels[l] ? 1 : 0;
            }
        }
        for (int l = 0; l < 2; l++) {
            int[] interval = binomialInterval(pairs, levels[l], 0.99);
            assertThat(single[l]).as("single at %s", levels[l]).isBetween(interval[0], interval[1]);
            assertThat(multi[l]).as("multi at %s", levels[l]).isBetween(interval[0], interval[1]);
        }
    }

    /** The median bandwidth misses a correlation change that the bandwidth grid catches. */
    @Test
    void multiBandwidthCatchesCorrelationChange() {
        int caught = 0;
        int caughtSingle = 0;
        for (int seed = 0; seed < 10; seed++) {
            Random r = new Random(700 + seed);
            double[][] x = Naive.correlated(200, 4, 0.0, r);
            double[][] y = Naive.correlated(200, 4, 0.9, r);
            double sigma = MedianHeuristic.sigma(x, y, seed);
            double[] grid = MmdPermutationTest.bandwidthGrid(sigma, TwoSampleOptions.DEFAULT_MULTIPLIERS);
            if (MmdPermutationTest.testMultiBandwidth(x, y, grid, 199, seed).pValue() <= 0.05) {
                caught++;
            }
            if (MmdPermutationTest.test(x, y, sigma, 199, seed).pValue() <= 0.05) {
                caughtSingle++;
            }
        }
        assertThat(caught).as("multi-bandwidth detections (single: %s)", caughtSingle)
                .isGreaterThanOrEqualTo(9);
    }

    /** Smallest [lo, hi] with P(X < lo) <= (1 - conf) / 2 and P(X > hi) <= (1 - conf) / 2. */
    static int[] binomialInterval(int n, double p, double conf) {
        double tail = (1 - conf) / 2;
        double[] pmf = new double[n + 1];
        double logP = Math.log(p);
        double logQ = Math.log1p(-p);
        double logC = 0;
        for (int k = 0; k <= n; k++) {
            if (k > 0) {
                logC += Math.log(n - k + 1) - Math.log(k);
            }
            pmf[k] = Math.exp(logC + k * logP + (n - k) * logQ);
        }
        int lo = 0;
        double cum = 0;
        while (cum + pmf[lo] <= tail) {
            cum += pmf[lo++];
        }
        int hi = n;
        cum = 0;
        while (cum + pmf[hi] <= tail) {
            cum += pmf[hi--];
        }
        return new int[] {lo, hi};
    }
}
