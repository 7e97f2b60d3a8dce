package io.driftguard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SyntheticSuiteTest {

    private static double[] column(double[][][] windows, int from, int to, int f) {
        int n = (to - from) * SyntheticSuite.WINDOW;
        double[] out = new double[n];
        int k = 0;
        for (int w = from; w < to; w++) {
            for (double[] r : windows[w]) {
                out[k++] = r[f];
            }
        }
        return out;
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double var(double[] x) {
        double m = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return s / (x.length - 1);
    }

    private static double corr(double[] x, double[] y) {
        double mx = mean(x);
        double my = mean(y);
        double sxy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
        }
        return sxy / (x.length - 1) / Math.sqrt(var(x) * var(y));
    }

    @Test
    void correlationRisesToPointNineInOnePair() {
        SyntheticStream s = SyntheticSuite.CORRELATION.generate(120, 0, 7);
        double[][][] w = s.windows();
        assertThat(corr(column(w, 0, 60, 0), column(w, 0, 60, 1))).isCloseTo(0.0, within(0.03));
        assertThat(corr(column(w, 60, 120, 0), column(w, 60, 120, 1))).isCloseTo(0.9, within(0.02));
        assertThat(var(column(w, 60, 120, 1))).isCloseTo(1.0, within(0.05));
    }

    @Test
    void shiftsHaveTheirStatedSize() {
        double[][][] m = SyntheticSuite.MEAN_SHIFT.generate(120, 2, 7).windows();
        assertThat(mean(column(m, 60, 120, 2)) - mean(column(m, 0, 60, 2)))
                .isCloseTo(0.6, within(0.04));
        double[][][] v = SyntheticSuite.VARIANCE.generate(120, 1, 7).windows();
        assertThat(var(column(v, 60, 120, 1)) / var(column(v, 0, 60, 1)))
                .isCloseTo(2.0, within(0.1));
        double[][][] b = SyntheticSuite.BIMODAL.generate(120, 3, 7).windows();
        double[] after = column(b, 60, 120, 3);
        assertThat(mean(after)).isCloseTo(0.0, within(0.04));
        assertThat(var(after)).isCloseTo(1.0, within(0.05));
        int nearZero = 0;
        for (double x : after) {
            nearZero += Math.abs(x) < 0.2 ? 1 : 0;
        }
        assertThat((double) nearZero / after.length).isLessThan(0.05);
    }

    @Test
    void ar1HasPhiPointNineAndUnitVariance() {
        double[][][] w = SyntheticSuite.NULL_AR1.generate(60, 0, 7).windows();
        double[] x = column(w, 0, 60, 0);
        double[] lag0 = java.util.Arrays.copyOfRange(x, 0, x.length - 1);
        double[] lag1 = java.util.Arrays.copyOfRange(x, 1, x.length);
        assertThat(corr(lag0, lag1)).isCloseTo(0.9, within(0.02));
        assertThat(var(x)).isCloseTo(1.0, within(0.2));
    }

    @Test
    void seededAndScheduled() {
        SyntheticStream a = SyntheticSuite.GRADUAL.generate(200, 1, 3);
        SyntheticStream b = SyntheticSuite.GRADUAL.generate(200, 1, 3);
        assertThat(a.windows()[150][7]).containsExactly(b.windows()[150][7]);
        assertThat(a.changeWindows()).containsExactly(60, 120, 180);
        assertThat(a.shiftedFeature()).containsOnly(1);
        assertThat(SyntheticSuite.NULL_T3.changeWindows(500)).isEmpty();
        assertThat(SyntheticSuite.byLabel("null-seasonal").season()).isEqualTo(12);
    }
}
