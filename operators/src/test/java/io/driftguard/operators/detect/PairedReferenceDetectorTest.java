package io.driftguard.operators.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.operators.detect.calibration.CalibrationSettings;
import io.driftguard.operators.sketch.SketchConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The {@code previous} and {@code last-K} detector fed window by window, as {@code bench detect} runs it. */
class PairedReferenceDetectorTest {

    private static final int D = 3;
    private static final int N = 200;
    private static final CalibrationSettings SETTINGS = CalibrationSettings.defaults().withExpectedRunLength(1000);

    private static PairedReferenceDetector detector(int k) {
        return new PairedReferenceDetector(SETTINGS, SketchConfig.defaults(D, 7), k, 199, 11);
    }

    /** Independent Gaussian windows; from window {@code change} on, feature 1 is shifted by {@code shift}. */
    private static List<double[][]> stream(int windows, int change, double shift, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<double[][]> out = new ArrayList<>();
        for (int w = 0; w < windows; w++) {
            double[][] rows = new double[N][D];
            for (double[] x : rows) {
                for (int f = 0; f < D; f++) {
                    x[f] = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
                }
                if (w >= change) {
                    x[1] += shift;
                }
            }
            out.add(rows);
        }
        return out;
    }

    private static String describe(WindowDetector.Verdict v) {
        return v.drift() + " " + v.calibrated() + " " + v.pValueKind() + " " + v.pValue();
    }

    private static List<WindowDetector.Verdict> run(WindowDetector det, List<double[][]> windows) {
        List<WindowDetector.Verdict> out = new ArrayList<>();
        for (double[][] w : windows) {
            out.add(det.onWindow(w));
        }
        return out;
    }

    @Test
    void theFirstWindowHasNoReferenceAndIndependentWindowsRaiseNoAlarm() {
        for (long seed = 1; seed <= 3; seed++) {
            List<WindowDetector.Verdict> v = run(detector(1), stream(80, Integer.MAX_VALUE, 0, seed));
            assertThat(v.get(0).pValueKind()).isEqualTo("none");
            assertThat(v.get(0).drift()).isFalse();
            assertThat(v.stream().filter(WindowDetector.Verdict::drift).count()).as("seed %s", seed).isZero();
            // the key's own history decides once it has one
            assertThat(v.get(79).calibrated()).as("seed %s", seed).isTrue();
            assertThat(v.get(79).pValueKind()).isEqualTo("calibrated");
        }
    }

    @Test
    void aClearShiftInTheFirstWindowsIsAlarmedByThePermutationTest() {
        List<WindowDetector.Verdict> v = run(detector(1), stream(8, 4, 1.5, 5));
        for (int w = 1; w < 4; w++) {
            assertThat(v.get(w).drift()).as("window %s", w).isFalse();
        }
        assertThat(v.get(4).drift()).isTrue();
        assertThat(v.get(4).calibrated()).isFalse();
        assertThat(v.get(4).pValueKind()).isEqualTo("permutation");
        assertThat(v.get(4).pValue()).isLessThanOrEqualTo(PairedReferenceDetector.WARMUP_ALPHA);
        // previous: the window after the change is compared with the shifted one
        assertThat(v.get(5).drift()).isFalse();
    }

    @Test
    void aShiftAfterCalibrationIsAlarmedByTheCalibratedDecision() {
        for (int k : new int[] {1, 4}) {
            List<WindowDetector.Verdict> v = run(detector(k), stream(80, 70, 1.0, 9));
            assertThat(v.get(70).drift()).as("K %s", k).isTrue();
            assertThat(v.get(70).calibrated()).as("K %s", k).isTrue();
            assertThat(v.subList(0, 70).stream().filter(WindowDetector.Verdict::drift).count()).as("K %s", k).isZero();
        }
    }

    @Test
    void aRestoredDetectorDecidesAsAnUninterruptedOne() {
        List<double[][]> windows = stream(70, 60, 1.0, 13);
        for (int k : new int[] {1, 3}) {
            PairedReferenceDetector straight = detector(k);
            List<String> expected = new ArrayList<>();
            for (double[][] w : windows) {
                expected.add(describe(straight.onWindow(w)));
            }
            PairedReferenceDetector first = detector(k);
            List<String> got = new ArrayList<>();
            for (double[][] w : windows.subList(0, 45)) {
                got.add(describe(first.onWindow(w)));
            }
            PairedReferenceDetector restored = PairedReferenceDetector.fromBytes(first.toBytes(), SETTINGS,
                    SketchConfig.defaults(D, 7), 199, 11);
            for (double[][] w : windows.subList(45, windows.size())) {
                got.add(describe(restored.onWindow(w)));
            }
            assertThat(got).as("K %s", k).containsExactlyElementsOf(expected);
            assertThat(expected.get(60)).startsWith("true true calibrated");
        }
    }
}
