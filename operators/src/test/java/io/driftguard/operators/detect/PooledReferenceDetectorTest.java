package io.driftguard.operators.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.operators.detect.calibration.CalibrationSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PooledReferenceDetectorTest {

    private static final int D = 3;
    private static final int N = 100;
    private static final CalibrationSettings SETTINGS = PooledReferenceDetector.settings(2000);

    /** Gaussian windows; from {@code change} on feature 1 is shifted by {@code shift}; a season adds a sine to feature 0. */
    private static List<PooledReferenceDetector.Window> stream(int windows, int change, double shift, int season, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<PooledReferenceDetector.Window> out = new ArrayList<>();
        for (int w = 0; w < windows; w++) {
            double[][] rows = new double[N][D];
            for (double[] x : rows) {
                for (int f = 0; f < D; f++) {
                    x[f] = gaussian(r);
                }
                if (w >= change) {
                    x[1] += shift;
                }
                if (season > 0) {
                    x[0] += 2 * Math.sin(2 * Math.PI * w / season);
                }
            }
            out.add(new PooledReferenceDetector.Window((long) w * N, (long) (w + 1) * N, N, rows));
        }
        return out;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** What a verdict says, comparable. */
    private static String describe(PooledReferenceDetector.Verdict v) {
        if (!v.decided()) {
            return "reference";
        }
        return v.drift() + " " + v.topFeature() + " "
                + (v.decision() == null ? "-" : v.decision().pValue() + " " + Arrays.toString(v.decision().channelPValues()))
                + " " + v.early() + " " + Arrays.toString(v.statistics()) + " "
                + v.referenceStart() + ".." + v.referenceEnd() + " n=" + v.referenceCount();
    }

    private static List<String> run(PooledReferenceDetector det, List<PooledReferenceDetector.Window> windows) {
        List<String> out = new ArrayList<>();
        for (PooledReferenceDetector.Window w : windows) {
            out.add(describe(det.onWindow(w)));
        }
        return out;
    }

    @Test
    void fixedPoolsTheReferenceDecidesAfterItAndRebuildsAfterAnAlarm() {
        List<PooledReferenceDetector.Window> s = stream(120, 60, 1.0, 0, 1);
        PooledReferenceDetector det = PooledReferenceDetector.fixed(SETTINGS);
        List<PooledReferenceDetector.Verdict> v = new ArrayList<>();
        for (PooledReferenceDetector.Window w : s) {
            v.add(det.onWindow(w));
        }
        // a fresh key pools its first 8 windows (no settling at the start); from the second on
        // each is compared with the windows pooled so far, without a calibrated decision
        assertThat(v.get(0).decided()).isFalse();
        for (int i = 1; i < 8; i++) {
            assertThat(v.get(i).decided()).as("window %d", i).isTrue();
            assertThat(v.get(i).decision()).as("window %d", i).isNull();
            assertThat(v.get(i).referenceCount()).as("window %d", i).isEqualTo((long) i * N);
            assertThat(v.get(i).early().pValue()).as("no early test without an effect").isNaN();
        }
        assertThat(v.get(8).decided()).isTrue();
        assertThat(v.get(8).referenceStart()).isEqualTo(0);
        assertThat(v.get(8).referenceEnd()).isEqualTo(8 * N);
        assertThat(v.get(8).referenceCount()).isEqualTo(8 * N);
        List<Integer> alarms = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (v.get(i).drift()) {
                alarms.add(i);
            }
        }
        assertThat(alarms).containsExactly(60);
        assertThat(v.get(60).topFeature()).isEqualTo(1);
        // after the alarm: 6 settling and 8 reference windows, then windows 67..74 are the reference;
        // the settling windows and the new reference's first are not compared with anything
        for (int i = 61; i < 61 + 7; i++) {
            assertThat(v.get(i).decided()).as("window %d", i).isFalse();
        }
        for (int i = 68; i < 75; i++) {
            assertThat(v.get(i).decided()).as("window %d", i).isTrue();
            assertThat(v.get(i).referenceStart()).isEqualTo(67 * N);
        }
        assertThat(v.get(75).referenceStart()).isEqualTo(67 * N);
        assertThat(v.get(75).referenceEnd()).isEqualTo(75 * N);
        assertThat(det.referenceWindows()).hasSize(8);
    }

    @Test
    void restoredFromItsBytesItContinuesExactlyAsTheUninterruptedDetector() {
        for (int season : new int[] {0, 6}) {
            List<PooledReferenceDetector.Window> s = stream(110, 60, 1.0, season, 2);
            List<String> expected =
                    run(season > 0 ? PooledReferenceDetector.seasonal(SETTINGS, season) : PooledReferenceDetector.fixed(SETTINGS), s);
            assertThat(expected).as("season %d alarms", season).anyMatch(e -> e.startsWith("true"));
            // cuts: fresh, while pooling, deciding, right after the alarm (settling), while re-pooling
            for (int cut : new int[] {0, 3, 20, 61, 70, 90}) {
                PooledReferenceDetector det =
                        season > 0 ? PooledReferenceDetector.seasonal(SETTINGS, season) : PooledReferenceDetector.fixed(SETTINGS);
                List<String> got = new ArrayList<>(run(det, s.subList(0, cut)));
                byte[] bytes = det.toBytes();
                assertThat(bytes[0]).isEqualTo(PooledReferenceDetector.VERSION);
                PooledReferenceDetector restored = PooledReferenceDetector.fromBytes(bytes);
                assertThat(restored.toBytes()).as("round trip at %d", cut).isEqualTo(bytes);
                assertThat(restored.season()).isEqualTo(season);
                assertThat(restored.settings()).isEqualTo(det.settings());
                got.addAll(run(restored, s.subList(cut, s.size())));
                assertThat(got).as("season %d, restored at window %d", season, cut).isEqualTo(expected);
            }
        }
    }

    @Test
    void aCopyOwnsItsCalibration() {
        List<PooledReferenceDetector.Window> s = stream(60, 1000, 0.0, 0, 3);
        PooledReferenceDetector det = PooledReferenceDetector.fixed(SETTINGS);
        run(det, s.subList(0, 40));
        PooledReferenceDetector copy = det.copy();
        byte[] before = copy.toBytes();
        run(det, s.subList(40, 60));
        assertThat(copy.toBytes()).isEqualTo(before);
        assertThat(run(copy, s.subList(40, 60))).isEqualTo(run(PooledReferenceDetector.fromBytes(before), s.subList(40, 60)));
    }

    @Test
    void seasonalComparesWithTheWindowOnePeriodEarlier() {
        List<PooledReferenceDetector.Window> s = stream(20, 1000, 0.0, 4, 4);
        PooledReferenceDetector det = PooledReferenceDetector.seasonal(SETTINGS, 4);
        assertThat(det.settings().referenceWindows()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            assertThat(det.onWindow(s.get(i)).decided()).isFalse();
        }
        PooledReferenceDetector.Verdict v = det.onWindow(s.get(4));
        assertThat(v.decided()).isTrue();
        assertThat(v.reference()).singleElement().isSameAs(s.get(0));
        assertThat(det.referenceWindows()).hasSize(4);
    }

    @Test
    void malformedStateIsRejected() {
        PooledReferenceDetector det = PooledReferenceDetector.fixed(SETTINGS);
        run(det, stream(3, 1000, 0.0, 0, 5));
        byte[] good = det.toBytes();
        byte[] version = good.clone();
        version[0] = 99;
        assertThatThrownBy(() -> PooledReferenceDetector.fromBytes(version)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version");
        assertThatThrownBy(() -> PooledReferenceDetector.fromBytes(Arrays.copyOf(good, good.length - 5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PooledReferenceDetector.fromBytes(Arrays.copyOf(good, good.length + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(PooledReferenceDetector.fromBytes(PooledReferenceDetector.fixed(SETTINGS).toBytes()).buildingReference())
                .isTrue();
    }

    @Test
    void aWindowOfAnotherDimensionIsRejected() {
        PooledReferenceDetector det = PooledReferenceDetector.fixed(SETTINGS);
        det.onWindow(new double[][] {{1, 2, 3}, {2, 3, 4}});
        assertThatThrownBy(() -> det.onWindow(new double[][] {{1, 2}, {2, 3}}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> det.onWindow(new double[0][])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aKeyDecidesWithoutAlarmsUntilItHasThirtyNullStatistics() {
        // 8 pooled windows, then 33 decided windows (statistics join the history 3 windows late)
        List<PooledReferenceDetector.Window> s = stream(45, 1000, 0.0, 0, 6);
        PooledReferenceDetector det = PooledReferenceDetector.fixed(SETTINGS);
        for (int i = 0; i < s.size(); i++) {
            PooledReferenceDetector.Verdict v = det.onWindow(s.get(i));
            assertThat(v.decided()).as("window %d", i).isEqualTo(i >= 1);
            assertThat(v.drift()).as("window %d", i).isFalse();
            if (i >= 8) {
                assertThat(v.decision().warmingUp()).as("window %d", i).isEqualTo(i < 41);
                assertThat(v.calibrated()).as("window %d", i).isEqualTo(i >= 41);
            } else {
                assertThat(v.decision()).isNull();
            }
        }
    }

    /** Gaussian windows of {@code d} features; from {@code change} on every feature moves by {@code shift}. */
    private static List<PooledReferenceDetector.Window> shifted(int windows, int d, int n, int change, double shift, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<PooledReferenceDetector.Window> out = new ArrayList<>();
        for (int w = 0; w < windows; w++) {
            double[][] rows = new double[n][d];
            for (double[] x : rows) {
                for (int f = 0; f < d; f++) {
                    x[f] = gaussian(r) + (w >= change ? shift : 0.0);
                }
            }
            out.add(new PooledReferenceDetector.Window((long) w * n, (long) (w + 1) * n, n, rows));
        }
        return out;
    }

    private static List<Integer> alarms(PooledReferenceDetector det, List<PooledReferenceDetector.Window> s) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            if (det.onWindow(s.get(i)).drift()) {
                out.add(i);
            }
        }
        return out;
    }

    @Test
    void aClearChangeWhileTheReferenceBuildsIsAlarmedAtOnce() {
        // one standard deviation in all 8 features at the key's 5th window (index 4)
        List<PooledReferenceDetector.Window> s = shifted(60, 8, 256, 4, 1.0, 11);
        PooledReferenceDetector det = PooledReferenceDetector.fixed(SETTINGS);
        List<PooledReferenceDetector.Verdict> v = new ArrayList<>();
        for (PooledReferenceDetector.Window w : s) {
            v.add(det.onWindow(w));
        }
        assertThat(v.get(4).drift()).isTrue();
        assertThat(v.get(4).calibrated()).isFalse();
        assertThat(v.get(4).early().pValue()).isLessThanOrEqualTo(PooledReferenceDetector.EARLY_ALPHA);
        // the new reference is built from the changed regime: no further alarm
        for (int i = 5; i < v.size(); i++) {
            assertThat(v.get(i).drift()).as("window %d", i).isFalse();
        }
        assertThat(det.calibration().alarms()).isEqualTo(1);
        // 6 settling + 8 reference windows after the alarm (5..18), then decided windows
        assertThat(det.referenceWindows().get(0).start()).isEqualTo(11L * 256);
    }

    @Test
    void aClearChangeWhileTheHistoryGathersIsAlarmedAndKeptOutOfIt() {
        // window 20: 8 reference windows, then 12 decided; their statistics join 3 windows late
        List<PooledReferenceDetector.Window> s = shifted(30, 4, 200, 20, 1.0, 12);
        PooledReferenceDetector det = PooledReferenceDetector.fixed(SETTINGS);
        assertThat(alarms(det, s)).containsExactly(20);
        // only windows 8..16 reached the history: the change and the 3 before it were discarded
        assertThat(det.calibration().historySize(0)).isEqualTo(9);
    }

    @Test
    void theEarlyTestStaysQuietOnIndependentAndAutocorrelatedNulls() {
        // 60 keys x 41 windows before calibration: independent Gaussian, and AR(1) with phi 0.9
        int earlyWindows = 0;
        int falseAlarms = 0;
        for (int k = 0; k < 30; k++) {
            PooledReferenceDetector det = PooledReferenceDetector.fixed(SETTINGS);
            falseAlarms += alarms(det, shifted(41, 4, 200, 1000, 0.0, 100 + k)).size();
            earlyWindows += 39;
        }
        for (int k = 0; k < 30; k++) {
            SplittableRandom r = new SplittableRandom(200 + k);
            double[] state = new double[4];
            List<PooledReferenceDetector.Window> s = new ArrayList<>();
            for (int w = 0; w < 41; w++) {
                double[][] rows = new double[200][4];
                for (double[] x : rows) {
                    for (int f = 0; f < 4; f++) {
                        state[f] = 0.9 * state[f] + Math.sqrt(1 - 0.81) * gaussian(r);
                        x[f] = state[f];
                    }
                }
                s.add(new PooledReferenceDetector.Window(w * 200L, (w + 1) * 200L, 200, rows));
            }
            falseAlarms += alarms(PooledReferenceDetector.fixed(SETTINGS), s).size();
            earlyWindows += 39;
        }
        assertThat(earlyWindows).isEqualTo(2340);
        assertThat(falseAlarms).as("false alarms in %d early windows", earlyWindows).isLessThanOrEqualTo(2);
    }

    /**
     * Gaussian windows of 4 features and 200 records in which feature {@code f} is missing (NaN)
     * with probability {@code before}, and from window {@code change} on with {@code after}.
     */
    private static List<PooledReferenceDetector.Window> missing(
            int windows, int f, double before, double after, int change, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<PooledReferenceDetector.Window> out = new ArrayList<>();
        for (int w = 0; w < windows; w++) {
            double[][] rows = new double[200][4];
            for (double[] x : rows) {
                for (int g = 0; g < 4; g++) {
                    x[g] = gaussian(r);
                }
                if (r.nextDouble() < (w >= change ? after : before)) {
                    x[f] = Double.NaN;
                }
            }
            out.add(new PooledReferenceDetector.Window(w * 200L, (w + 1) * 200L, 200, rows));
        }
        return out;
    }

    @Test
    void aJumpOfAFeaturesMissingRateIsAlarmedAndNamesThatFeature() {
        // calibrated from window 41; feature 2's missing rate goes from 2% to 40% at window 48
        List<PooledReferenceDetector.Window> s = missing(60, 2, 0.02, 0.40, 48, 31);
        PooledReferenceDetector det = PooledReferenceDetector.fixed(SETTINGS);
        List<PooledReferenceDetector.Verdict> v = new ArrayList<>();
        for (PooledReferenceDetector.Window w : s) {
            v.add(det.onWindow(w));
        }
        for (int i = 0; i < 48; i++) {
            assertThat(v.get(i).drift()).as("window %d", i).isFalse();
        }
        assertThat(v.get(47).calibrated()).isTrue();
        assertThat(v.get(48).drift()).isTrue();
        assertThat(v.get(48).calibrated()).isTrue();
        assertThat(v.get(48).topFeature()).isEqualTo(2);
    }

    @Test
    void aSteadyMissingRateRaisesNoAlarm() {
        List<PooledReferenceDetector.Window> s = missing(120, 1, 0.13, 0.13, 1000, 32);
        PooledReferenceDetector det = PooledReferenceDetector.fixed(SETTINGS);
        assertThat(alarms(det, s)).isEmpty();
        assertThat(det.calibration()).isNotNull();
    }

    @Test
    void aModerateChangeWhileTheHistoryGathersIsAlarmedByTheHistoryGuard() {
        // half a standard deviation in 4 features at window 25: below the early test's effect
        // floor, but far outside the 14 null statistics gathered by then
        List<PooledReferenceDetector.Window> s = shifted(60, 4, 200, 25, 0.5, 13);
        PooledReferenceDetector det = PooledReferenceDetector.fixed(SETTINGS);
        List<PooledReferenceDetector.Verdict> v = new ArrayList<>();
        List<Integer> alarms = new ArrayList<>();
        int historyAtAlarm = -1;
        for (PooledReferenceDetector.Window w : s) {
            v.add(det.onWindow(w));
            if (v.get(v.size() - 1).drift()) {
                alarms.add(v.size() - 1);
                historyAtAlarm = det.calibration().historySize(0);
            }
        }
        assertThat(alarms).hasSize(1);
        int at = alarms.get(0);
        assertThat(at).isBetween(25, 27);
        assertThat(v.get(at).early().drift()).as("not the early test").isFalse();
        assertThat(v.get(at).decision().warmingUp()).isTrue();
        assertThat(v.get(at).calibrated()).as("the key's own (partial) history decided").isTrue();
        // the statistics of the change never joined the history: it held windows 8..21 only
        assertThat(historyAtAlarm).isEqualTo(14);
    }
}
