package io.driftguard.operators.detect.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyCalibrationTest {

    private static final String GOLDEN = "key-calibration-v1.hex";

    /**
     * AR(1) records (phi 0.9) in windows of 200; two channels: the squared mean difference and the
     * absolute log ratio of mean absolute deviations against a fixed reference of 4 windows.
     */
    private static final class Ar1Stream {
        private final SplittableRandom rnd;
        private double x;
        private final double[] level = new double[1];

        Ar1Stream(long seed) {
            rnd = new SplittableRandom(seed);
        }

        double[] window() {
            double[] w = new double[200];
            for (int i = 0; i < w.length; i++) {
                x = 0.9 * x + Math.sqrt(1 - 0.81) * gaussian(rnd);
                w[i] = x + level[0];
            }
            return w;
        }

        private static double gaussian(SplittableRandom r) {
            double u = 1 - r.nextDouble();
            double v = r.nextDouble();
            return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
        }
    }

    /** Runs the calibration over a stream; returns the alarm windows. */
    private static List<Integer> run(KeyCalibration cal, Ar1Stream s, int windows, int shiftAt) {
        List<Integer> alarms = new ArrayList<>();
        List<double[]> ref = new ArrayList<>();
        double refMean = 0;
        double refAbs = 0;
        for (int w = 0; w < windows; w++) {
            if (w == shiftAt) {
                s.level[0] = 2.0;
            }
            double[] x = s.window();
            if (cal.buildingReference()) {
                if (cal.keepsReferenceWindow()) {
                    ref.add(x);
                }
                cal.absorbReferenceWindow();
                if (!cal.buildingReference()) {
                    double sum = 0;
                    int n = 0;
                    for (double[] r : ref) {
                        for (double v : r) {
                            sum += v;
                            n++;
                        }
                    }
                    refMean = sum / n;
                    double abs = 0;
                    for (double[] r : ref) {
                        for (double v : r) {
                            abs += Math.abs(v - refMean);
                        }
                    }
                    refAbs = abs / n;
                    ref.clear();
                }
                continue;
            }
            double mean = 0;
            for (double v : x) {
                mean += v;
            }
            mean /= x.length;
            double abs = 0;
            for (double v : x) {
                abs += Math.abs(v - refMean);
            }
            abs /= x.length;
            double[] stats = {(mean - refMean) * (mean - refMean), Math.abs(Math.log(abs / refAbs))};
            if (cal.decide(stats).drift()) {
                alarms.add(w);
            }
        }
        return alarms;
    }

    @Test
    void ar1NullStreamStaysWithinTheBudget() {
        // 4 keys x 1500 windows of an AR(1) phi=0.9 stream, default budget (2000 windows)
        int alarms = 0;
        int windows = 0;
        for (long seed = 1; seed <= 4; seed++) {
            KeyCalibration cal = KeyCalibration.create(CalibrationSettings.defaults(), 2);
            alarms += run(cal, new Ar1Stream(seed), 1500, -1).size();
            windows += 1500;
        }
        assertThat(1000.0 * alarms / windows).isLessThanOrEqualTo(1.0);
    }

    @Test
    void withinWindowIidAssumptionWouldFailOnThatStream() {
        // the naive z-test of a window mean against the reference (iid standard error) fires
        // on most AR(1) windows: what the calibration replaces
        Ar1Stream s = new Ar1Stream(9);
        double[] ref = s.window();
        double refMean = 0;
        for (double v : ref) {
            refMean += v;
        }
        refMean /= ref.length;
        int rejections = 0;
        for (int w = 0; w < 200; w++) {
            double[] x = s.window();
            double mean = 0;
            for (double v : x) {
                mean += v;
            }
            mean /= x.length;
            double z = (mean - refMean) / Math.sqrt(2.0 / 200);
            rejections += Math.abs(z) > 3.29 ? 1 : 0; // two-sided 0.001
        }
        assertThat(rejections).isGreaterThan(50);
    }

    @Test
    void levelShiftGivesOneAlarmPromptly() {
        KeyCalibration cal = KeyCalibration.create(CalibrationSettings.defaults(), 2);
        List<Integer> alarms = run(cal, new Ar1Stream(5), 200, 120);
        assertThat(alarms).hasSize(1);
        assertThat(alarms.get(0)).isBetween(120, 121);
        assertThat(cal.alarms()).isEqualTo(1);
        assertThat(cal.buildingReference()).isFalse();
    }

    @Test
    void roundTripsThroughBytes() {
        KeyCalibration cal = KeyCalibration.create(CalibrationSettings.defaults(), 2);
        run(cal, new Ar1Stream(2), 80, -1);
        byte[] bytes = cal.toBytes();
        assertThat(bytes[0]).isEqualTo(KeyCalibration.VERSION);
        KeyCalibration back = KeyCalibration.fromBytes(bytes);
        assertThat(back.toBytes()).isEqualTo(bytes);
        assertThat(back).isEqualTo(cal);
        double[] probe = {0.05, 0.3};
        assertThat(back.decide(probe)).usingRecursiveComparison().isEqualTo(cal.decide(probe));
    }

    @Test
    void readsTheGoldenVersion1State() throws IOException {
        byte[] golden = golden();
        assertThat(goldenState().toBytes()).isEqualTo(golden);
        KeyCalibration read = KeyCalibration.fromBytes(golden);
        assertThat(read.channels()).isEqualTo(2);
        assertThat(read.historySize(0)).isEqualTo(7);
        assertThat(read.windowsSeen()).isEqualTo(14);
        assertThat(read.cusum()).isZero();
    }

    @Test
    void rejectsUnknownVersionAndTruncation() throws IOException {
        byte[] golden = golden();
        byte[] wrong = golden.clone();
        wrong[0] = 99;
        assertThatThrownBy(() -> KeyCalibration.fromBytes(wrong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version");
        byte[] cut = java.util.Arrays.copyOf(golden, golden.length - 3);
        assertThatThrownBy(() -> KeyCalibration.fromBytes(cut))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mergesHistoriesAndRejectsSelfMerge() {
        KeyCalibration a = goldenState();
        KeyCalibration b = goldenState();
        a.merge(b);
        assertThat(a.historySize(0)).isEqualTo(7 + 7 + 3);
        assertThat(a.windowsSeen()).isEqualTo(28);
        assertThatThrownBy(() -> a.merge(a)).isInstanceOf(IllegalArgumentException.class);
        KeyCalibration other = KeyCalibration.create(CalibrationSettings.defaults(), 3);
        assertThatThrownBy(() -> a.merge(other)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void validatesItsInput() {
        KeyCalibration cal = KeyCalibration.create(CalibrationSettings.defaults(), 2);
        assertThatThrownBy(() -> cal.decide(new double[] {1, 2}))
                .isInstanceOf(IllegalStateException.class);
        for (int i = 0; i < 4; i++) {
            cal.absorbReferenceWindow();
        }
        assertThatThrownBy(() -> cal.decide(new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cal.decide(new double[] {1, Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CalibrationSettings.defaults().withExpectedRunLength(1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cusumThresholdGrowsWithTheBudget() {
        CalibrationSettings s = CalibrationSettings.defaults();
        assertThat(s.cusumThreshold()).isBetween(7.0, 12.0);
        assertThat(s.withExpectedRunLength(20000).cusumThreshold())
                .isGreaterThan(s.cusumThreshold());
    }

    /** A small deterministic state: 2 channels, 4 reference windows, 10 decided windows. */
    static KeyCalibration goldenState() {
        KeyCalibration cal = KeyCalibration.create(CalibrationSettings.defaults(), 2);
        for (int i = 0; i < 4; i++) {
            cal.absorbReferenceWindow();
        }
        for (int i = 0; i < 10; i++) {
            cal.decide(new double[] {0.125 * i, 1.0 - 0.0625 * i});
        }
        return cal;
    }

    private static byte[] golden() throws IOException {
        try (InputStream in = KeyCalibrationTest.class.getResourceAsStream(GOLDEN)) {
            assertThat(in).as(GOLDEN).isNotNull();
            String hex = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
            return HexFormat.of().parseHex(hex);
        }
    }
}
