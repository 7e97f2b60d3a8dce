package io.driftguard.operators.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MedianHeuristicTest {

    @Test
    void matchesSortedBruteForceForOddAndEvenPairCounts() {
        Random r = new Random(3);
        for (int[] s : new int[][] {{1, 1}, {1, 2}, {2, 2}, {3, 4}, {17, 23}, {200, 150}}) {
            double[][] x = Naive.gaussian(s[0], 3, 0, 1, r);
            double[][] y = Naive.gaussian(s[1], 3, 1, 2, r);
            double expected = Naive.medianDistance(Naive.concat(x, y));
            assertThat(MedianHeuristic.sigma(x, y, 9)).isCloseTo(expected, within(1e-12 * expected));
        }
    }

    @Test
    void tiesAndZeroMedian() {
        double[][] x = {{1, 1}, {1, 1}, {1, 1}};
        double[][] y = {{1, 1}, {2, 1}};
        // 10 pairs, 6 of them zero: the median is 0, so sigma = 1.
        assertThat(MedianHeuristic.sigma(x, y, 0)).isEqualTo(1.0);
        double[][] a = {{0}, {0}, {1}};
        double[][] b = {{1}, {3}};
        assertThat(MedianHeuristic.sigma(a, b, 0)).isEqualTo(Naive.medianDistance(Naive.concat(a, b)));
    }

    @Test
    void subsamplesLargePoolsDeterministically() {
        Random r = new Random(11);
        double[][] x = Naive.gaussian(900, 4, 0, 1, r);
        double[][] y = Naive.gaussian(700, 4, 0, 1, r);
        double a = MedianHeuristic.sigma(x, y, 5);
        assertThat(MedianHeuristic.sigma(x, y, 5)).isEqualTo(a);
        // E||z - z'|| for N(0, I_4) is about sqrt(2 * 4) less a little; the subsample is close to
        // the full pool.
        double full = Naive.medianDistance(Naive.concat(x, y));
        assertThat(a).isCloseTo(full, within(0.03 * full));
        assertThat(MedianHeuristic.sigma(x, y, 1600, 5)).isCloseTo(full, within(1e-12 * full));
    }

    @Test
    void bracketedMedianIsExactForEitherParityTiesAndMissedBrackets() {
        Random r = new Random(17);
        // 182 and 183 points give odd pair counts, 184 and 400 even ones, all above the bracketing
        // threshold; integer features make many distances tie.
        for (int size : new int[] {182, 183, 184, 400}) {
            for (boolean ties : new boolean[] {false, true}) {
                double[][] z = Naive.gaussian(size, 3, 0, 1, r);
                if (ties) {
                    for (double[] row : z) {
                        for (int f = 0; f < row.length; f++) {
                            row[f] = Math.round(row[f]);
                        }
                    }
                }
                assertThat(size * (size - 1) / 2).isGreaterThanOrEqualTo(MedianHeuristic.BRACKET_MIN_PAIRS);
                double expected = Naive.medianDistance(z);
                double[] flat = flat(z);
                // default margin; no margin (the bracket almost always misses, so the fallback
                // runs); a margin wider than the sample (everything is kept)
                for (double margin : new double[] {MedianHeuristic.BRACKET_MARGIN_SDS, 0.0, 1e6}) {
                    long misses = MedianHeuristic.BRACKET_MISSES.sum();
                    assertThat(MedianHeuristic.sigmaOfFlat(flat, size, 3, margin))
                            .as("size %s, ties %s, margin %s", size, ties, margin)
                            .isEqualTo(expected);
                    if (margin > 1e5) {
                        assertThat(MedianHeuristic.BRACKET_MISSES.sum()).isEqualTo(misses);
                    }
                }
            }
        }
    }

    @Test
    void aMissedBracketFallsBackToAllPairsAndStaysExact() {
        Random r = new Random(29);
        long before = MedianHeuristic.BRACKET_MISSES.sum();
        int checked = 0;
        for (int t = 0; t < 20; t++) {
            double[][] z = Naive.gaussian(190 + t, 2, 0, 1, r);
            // no margin: the range is the sample's middle values alone and nearly always misses
            assertThat(MedianHeuristic.sigmaOfFlat(flat(z), z.length, 2, 0.0)).isEqualTo(Naive.medianDistance(z));
            checked++;
        }
        assertThat(checked).isEqualTo(20);
        assertThat(MedianHeuristic.BRACKET_MISSES.sum() - before).isGreaterThanOrEqualTo(15);
    }

    @Test
    void tooManyPointsForOneArrayOfPairsIsRejectedClearly() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> MedianHeuristic.sigmaOfFlat(new double[70_000], 70_000, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pairs");
    }

    private static double[] flat(double[][] z) {
        int d = z[0].length;
        double[] out = new double[z.length * d];
        for (int i = 0; i < z.length; i++) {
            System.arraycopy(z[i], 0, out, i * d, d);
        }
        return out;
    }

    @Test
    void selectionFindsOrderStatistics() {
        Random r = new Random(2);
        for (int n = 1; n < 60; n++) {
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = r.nextInt(5);
            }
            double[] sorted = a.clone();
            java.util.Arrays.sort(sorted);
            for (int k = 0; k < n; k++) {
                assertThat(Selection.select(a.clone(), k)).isEqualTo(sorted[k]);
            }
        }
    }
}
