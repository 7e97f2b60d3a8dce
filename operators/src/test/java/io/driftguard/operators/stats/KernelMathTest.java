package io.driftguard.operators.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KernelMathTest {

    @Test
    void columnDistancesHaveTheBitsOfAPerPairLoop() {
        Random r = new Random(5);
        // every split of the feature passes: fewer than four, four, blocks of four and a rest
        for (int d = 1; d <= 11; d++) {
            int n = 37;
            double[][] rows = Naive.gaussian(n, d, 0, 3, r);
            double[][] cols = new double[d][n];
            for (int i = 0; i < n; i++) {
                for (int f = 0; f < d; f++) {
                    cols[f][i] = rows[i][f];
                }
            }
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[0] = -1;
                out[1] = -1;
                KernelMath.squaredDistances(cols, i, cols, 2, n, out);
                // only [from, to) is written
                assertThat(out[0]).isEqualTo(-1);
                assertThat(out[1]).isEqualTo(-1);
                for (int j = 2; j < n; j++) {
                    double s = 0;
                    for (int f = 0; f < d; f++) {
                        double t = rows[i][f] - rows[j][f];
                        s += t * t;
                    }
                    assertThat(out[j]).as("d %s, pair %s %s", d, i, j).isEqualTo(s);
                }
            }
        }
    }
}
