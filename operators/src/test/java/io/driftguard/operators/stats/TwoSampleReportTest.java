package io.driftguard.operators.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TwoSampleReportTest {

    private static final TwoSampleOptions FAST = TwoSampleOptions.defaults().withPermutations(99);

    @Test
    void reportsTheDesignFieldsDeterministically() {
        Random r = new Random(1);
        double[][] ref = Naive.gaussian(150, 3, 0, 1, r);
        double[][] cur = Naive.gaussian(120, 3, 0, 1, r);
        for (double[] row : cur) {
            row[2] += 1.0;
        }
        String[] names = {"temp", "load", "speed"};
        TwoSampleResult a = TwoSampleReport.compute(ref, cur, names, FAST);
        TwoSampleResult b = TwoSampleReport.compute(ref, cur, names, FAST);
        assertThat(a.toJson()).isEqualTo(b.toJson());
        assertThat(a.nRef()).isEqualTo(150);
        assertThat(a.nCur()).isEqualTo(120);
        assertThat(a.sigma()).isCloseTo(MedianHeuristic.sigma(ref, cur, 0), within(1e-12));
        assertThat(a.mmd2()).isCloseTo(Naive.mmd2Unbiased(ref, cur, a.sigma()), within(1e-12));
        assertThat(a.pValue()).isEqualTo(0.01);
        assertThat(a.aggregatedPValue()).isEqualTo(0.01);
        assertThat(a.aDistance()).isBetween(0.4, 1.4);
        assertThat(a.bandwidths()).hasSize(5);
        assertThat(a.features()).hasSize(3);
        assertThat(a.features().get(0).name()).isEqualTo("speed");
        assertThat(a.features().get(0).share()).isGreaterThan(0.8);
        assertThat(a.toJson())
                .startsWith("{\"mmd2\":")
                .contains("\"p_value\":0.01", "\"n_ref\":150", "\"n_cur\":120", "\"name\":\"speed\"");
        TwoSampleResult other = TwoSampleReport.compute(ref, cur, names, FAST.withSeed(7));
        assertThat(other.mmd2()).isEqualTo(a.mmd2());
    }

    @Test
    void subsamplesLargeSidesAndReportsFullCounts() {
        Random r = new Random(2);
        double[][] ref = Naive.gaussian(300, 2, 0, 1, r);
        double[][] cur = Naive.gaussian(80, 2, 0, 1, r);
        TwoSampleResult res =
                TwoSampleReport.compute(ref, cur, null, FAST.withMaxSamplesPerSide(100));
        assertThat(res.nRef()).isEqualTo(300);
        assertThat(res.nRefUsed()).isEqualTo(100);
        assertThat(res.nCurUsed()).isEqualTo(80);
        assertThat(res.pValue()).isGreaterThan(0.01);
        assertThat(res.features()).extracting(FeatureScore::name).containsExactlyInAnyOrder("f0", "f1");
    }

    @Test
    void validatesInput() {
        double[][] two = {{1, 2}, {3, 4}};
        assertThatThrownBy(() -> TwoSampleReport.compute(new double[][] {{1, 2}}, two, null, FAST))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reference needs at least 2 rows");
        assertThatThrownBy(() -> TwoSampleReport.compute(two, new double[][] {{1}, {2}}, null, FAST))
                .hasMessageContaining("features");
        assertThatThrownBy(
                        () ->
                                TwoSampleReport.compute(
                                        two, new double[][] {{1, 2}, {Double.POSITIVE_INFINITY, 0}}, null, FAST))
                .hasMessageContaining("not finite");
        assertThatThrownBy(() -> TwoSampleReport.compute(two, two, new String[] {"a"}, FAST))
                .hasMessageContaining("feature names");
    }

    @Test
    void minimalInputWorks() {
        double[][] x = {{1}, {2}};
        double[][] y = {{1}, {2}};
        TwoSampleResult res = TwoSampleReport.compute(x, y, null, FAST);
        assertThat(res.pValue()).isEqualTo(1.0);
        assertThat(res.aDistance()).isEqualTo(0.0);
    }
}
