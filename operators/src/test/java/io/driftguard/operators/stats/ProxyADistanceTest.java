package io.driftguard.operators.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ProxyADistanceTest {

    @Test
    void identicalSamplesGiveZeroAndSeparatedSamplesGiveTwo() {
        Random r = new Random(1);
        double[][] x = Naive.gaussian(300, 4, 0, 1, r);
        assertThat(ProxyADistance.compute(x, x.clone(), 3)).isEqualTo(0.0);
        double[][] far = Naive.gaussian(200, 4, 10, 1, r);
        assertThat(ProxyADistance.compute(x, far, 3)).isEqualTo(2.0);
    }

    @Test
    void nullDistanceIsSmallAndShiftIsLarge() {
        Random r = new Random(2);
        double[][] x = Naive.gaussian(500, 3, 0, 1, r);
        double[][] y = Naive.gaussian(500, 3, 0, 1, r);
        double[][] shifted = Naive.gaussian(500, 3, 1.0, 1, r);
        assertThat(ProxyADistance.compute(x, y, 1)).isLessThan(0.25);
        // One-sd shift on 3 features: Bayes error Phi(-sqrt(3)/2) ~ 0.19, d_A ~ 1.2.
        assertThat(ProxyADistance.compute(x, shifted, 1)).isBetween(1.0, 1.45);
    }

    @Test
    void balancesUnequalSidesAndIsDeterministic() {
        Random r = new Random(3);
        double[][] x = Naive.gaussian(1000, 2, 0, 1, r);
        double[][] y = Naive.gaussian(60, 2, 0, 1, r);
        double a = ProxyADistance.compute(x, y, 7);
        assertThat(ProxyADistance.compute(x, y, 7)).isEqualTo(a);
        // Without balancing, predicting "x" everywhere would give eps ~ 0.06 and d_A ~ 1.8.
        assertThat(a).isLessThan(0.6);
    }

    @Test
    void smallSamplesConstantColumnsAndScales() {
        double[][] x = {{1, 5, 1e-6}, {2, 5, 2e-6}};
        double[][] y = {{1, 5, 1e6}, {2, 5, 2e6}};
        double a = ProxyADistance.compute(x, y, 1);
        assertThat(a).isBetween(0.0, 2.0);
        double[][] cx = {{3, 3}, {3, 3}, {3, 3}};
        assertThat(ProxyADistance.compute(cx, cx.clone(), 1)).isEqualTo(0.0);
        assertThat(ProxyADistance.fromError(0.7)).isEqualTo(0.0);
        assertThat(ProxyADistance.fromError(0.0)).isEqualTo(2.0);
        assertThat(ProxyADistance.fromError(0.25)).isEqualTo(1.0);
    }

    /** The Newton solution satisfies the first-order optimality condition of the penalised loss. */
    @Test
    void newtonSolvesThePenalisedProblem() {
        Random r = new Random(5);
        int size = 120;
        int cols = 4;
        double[] data = new double[size * cols];
        double[] label = new double[size];
        int[] fold = new int[size];
        for (int i = 0; i < size; i++) {
            label[i] = i % 2;
            for (int c = 0; c < cols - 1; c++) {
                data[i * cols + c] = r.nextGaussian() + 0.8 * label[i] * (c + 1);
            }
            data[i * cols + cols - 1] = 1.0;
            fold[i] = i % 3;
        }
        double lambda = 0.05;
        double[] beta = new double[cols];
        new ProxyADistance.Newton(cols).fit(data, label, fold, 0, size, lambda, beta);
        // Brute-force gradient by direct summation.
        double[] grad = new double[cols];
        int nTrain = 0;
        for (int i = 0; i < size; i++) {
            if (fold[i] == 0) {
                continue;
            }
            nTrain++;
            double eta = 0;
            for (int c = 0; c < cols; c++) {
                eta += data[i * cols + c] * beta[c];
            }
            double p = 1 / (1 + Math.exp(-eta));
            for (int c = 0; c < cols; c++) {
                grad[c] += (p - label[i]) * data[i * cols + c];
            }
        }
        for (int c = 0; c < cols; c++) {
            double g = grad[c] / nTrain + (c < cols - 1 ? lambda * beta[c] : 0);
            assertThat(g).isCloseTo(0.0, within(1e-9));
        }
    }

    @Test
    void rejectsBadInput() {
        double[][] two = {{1}, {2}};
        assertThatThrownBy(() -> ProxyADistance.compute(new double[][] {{1}}, two, 1))
                .hasMessageContaining("at least 2");
        assertThatThrownBy(() -> ProxyADistance.compute(two, two, 1, 1e-3, 1)).hasMessageContaining("folds");
    }

    @Test
    void theFisherDiscriminantReachesTheBayesAccuracyOfAMeanShift() {
        // two Gaussians with a shared covariance, Mahalanobis distance delta: the best linear rule
        // errs with probability Phi(-delta / 2)
        Random r = new Random(17);
        int n = 4000;
        int d = 6;
        double[][] x = new double[n][d];
        double[][] y = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < d; f++) {
                // correlated features: feature f carries some of feature f - 1
                x[i][f] = r.nextGaussian() + (f > 0 ? 0.5 * x[i][f - 1] : 0);
                y[i][f] = r.nextGaussian() + (f > 0 ? 0.5 * y[i][f - 1] : 0);
            }
            y[i][0] += 1.0;
        }
        // x = A e with A^-1 = I - 0.5 S (S the sub-diagonal shift), so for the shift delta = e_0
        // the squared Mahalanobis distance is |A^-1 delta|^2 = 1 + 0.25 and the Bayes error is
        // Phi(-sqrt(1.25) / 2) = Phi(-0.5590)
        double eps = ProxyADistance.linearDiscriminantError(x, y, 5, 3);
        double bayes = 0.288069;
        assertThat(eps).isCloseTo(bayes, within(0.015));
        // and it agrees with the logistic regression on the same data
        assertThat(ProxyADistance.linearDiscriminant(x, y, 3)).isCloseTo(ProxyADistance.compute(x, y, 3), within(0.05));
        // identical distributions: near chance
        double[][] z = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < d; f++) {
                z[i][f] = r.nextGaussian() + (f > 0 ? 0.5 * z[i][f - 1] : 0);
            }
        }
        assertThat(ProxyADistance.linearDiscriminantError(x, z, 5, 3)).isCloseTo(0.5, within(0.03));
    }
}
