package io.driftguard.bench;

import io.driftguard.operators.detect.WindowStatistics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.driftguard.operators.stats.Mmd;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowStatisticsTest {

    @Test
    void multivariateChannelIsTheUnbiasedMmdOfTheStatsPackage() {
        double[][][] w = SyntheticSuite.CORRELATION.generate(70, 0, 4).windows();
        WindowStatistics stats = new WindowStatistics(List.of(w[0], w[1]));
        double[][] cur = w[65];
        double[] s = stats.statistics(cur);
        double expected =
                Mmd.unbiased(stats.standardisedReference(), stats.standardise(cur), stats.sigma());
        assertThat(s[1]).isCloseTo(expected, within(1e-9));
        assertThat(s).hasSize(3 + 2 * 4);
    }

    @Test
    void perFeatureChannelsPointAtTheMovedFeature() {
        double[][][] w = SyntheticSuite.VARIANCE.generate(70, 3, 4).windows();
        WindowStatistics stats = new WindowStatistics(List.of(w[0], w[1], w[2], w[3]));
        double[] s = stats.statistics(w[65]);
        int top = 3 + 4;
        for (int f = 0; f < 4; f++) {
            if (s[3 + 4 + f] > s[top]) {
                top = 3 + 4 + f;
            }
        }
        assertThat(top - 3 - 4).isEqualTo(3);
    }
}
