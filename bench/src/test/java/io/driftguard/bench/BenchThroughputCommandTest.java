package io.driftguard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.driftguard.bench.BenchThroughputCommand.Decomposition;
import io.driftguard.bench.BenchThroughputCommand.Measured;
import io.driftguard.bench.BenchThroughputCommand.Setting;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchThroughputCommandTest {

    /** Rates of a job whose records cost {@code off} us, plus s us and e us per window of w records. */
    private static Measured measured(long w, double off, double s, double e) {
        double offRate = 1e6 / off;
        double onRate = 1e6 / (off + s + e / w);
        Setting setting = new Setting(Long.toString(w), w);
        double ratio = onRate / offRate;
        return new Measured(setting, offRate, onRate, offRate, onRate, ratio, ratio, new double[] {ratio}, 0);
    }

    @Test
    void theMedianIntervalTakesTheOrderStatisticsOfTheBinomialRule() {
        // five rounds: even min and max cover the median with only 1 - 2 / 32 = 93.75%
        assertThat(BenchThroughputCommand.medianInterval(new double[] {0.7, 0.6, 0.8, 0.9, 0.5})).isNull();
        // six: min and max, 1 - 2 / 64
        BenchThroughputCommand.Interval six =
                BenchThroughputCommand.medianInterval(new double[] {0.74, 0.61, 0.77, 0.70, 0.66, 0.81});
        assertThat(six.low()).isEqualTo(0.61);
        assertThat(six.high()).isEqualTo(0.81);
        assertThat(six.coverage()).isCloseTo(1 - 2.0 / 64, within(1e-12));
        // twelve: P(B <= 2) = (1 + 12 + 66) / 4096 = 0.0193 <= 0.025 < P(B <= 3) = 299 / 4096, so
        // the 3rd smallest and the 3rd largest
        double[] twelve = new double[12];
        for (int i = 0; i < 12; i++) {
            twelve[i] = (11 - i) / 10.0; // 1.1, 1.0, ..., 0.0
        }
        BenchThroughputCommand.Interval iv = BenchThroughputCommand.medianInterval(twelve);
        assertThat(iv.low()).isCloseTo(0.2, within(1e-12));
        assertThat(iv.high()).isCloseTo(0.9, within(1e-12));
        assertThat(iv.coverage()).isCloseTo(1 - 2 * 79.0 / 4096, within(1e-12));
    }

    @Test
    void decompositionRecoversTheCostPerRecordAndPerWindow() {
        // 3 us per record without sketches, 1 us of sketch per record and 5 ms per window
        Decomposition d =
                BenchThroughputCommand.decompose(
                        List.of(measured(60_000, 3, 1, 5000), measured(5000, 3, 1, 5000), measured(20_000, 3, 1, 5000)));
        assertThat(d.sketchMicros()).isCloseTo(1.0, within(1e-9));
        assertThat(d.evaluationMillis()).isCloseTo(5.0, within(1e-9));
        // 3 / (3 + 1 + 5000 / W) = 0.7  <=>  W = 5000 / (3 * 3 / 7 - 1) = 17,500
        assertThat(d.windowForTarget()).isCloseTo(17_500, within(1e-6));
        assertThat(d.longWindowRatio()).isCloseTo(0.75, within(1e-12));
        double at = 3 / (3 + 1 + 5000 / d.windowForTarget());
        assertThat(at).isCloseTo(BenchThroughputCommand.TARGET_RATIO, within(1e-12));
    }

    @Test
    void noWindowLengthReachesTheTargetWhenTheSketchAloneExceedsTheBudget() {
        // 3 / (3 + 1.5) = 0.67 even with free evaluation
        Decomposition d =
                BenchThroughputCommand.decompose(List.of(measured(5000, 3, 1.5, 5000), measured(60_000, 3, 1.5, 5000)));
        assertThat(d.sketchMicros()).isCloseTo(1.5, within(1e-9));
        assertThat(d.windowForTarget()).isZero();
    }

    @Test
    void aFitWithANegativeCostIsNotPlausible() {
        // the long-window run measured slower than the short one: noise, not a cost
        Decomposition d =
                BenchThroughputCommand.decompose(List.of(measured(5000, 3, 1, 0), measured(60_000, 3, 2, 0)));
        assertThat(d.evaluationMillis()).isNegative();
        assertThat(d.plausible()).isFalse();
        assertThat(BenchThroughputCommand.decompose(List.of(measured(5000, 3, 1, 5000), measured(60_000, 3, 1, 5000)))
                .plausible()).isTrue();
    }

    @Test
    void oneWindowLengthCannotBeDecomposed() {
        assertThat(BenchThroughputCommand.decompose(List.of(measured(5000, 3, 1, 5000)))).isNull();
        assertThat(BenchThroughputCommand.decompose(List.of(measured(5000, 3, 1, 5000), measured(5000, 3, 1, 5000))))
                .isNull();
    }
}
