package io.driftguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.operators.detect.calibration.CalibrationSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's detector is the operators' {@code PooledReferenceDetector}, decision for decision. */
class DriftguardDetectorTest {

    private static List<WindowDetector.Decision> run(WindowDetector d, double[][][] windows) {
        List<WindowDetector.Decision> out = new ArrayList<>(windows.length);
        for (double[][] w : windows) {
            out.add(d.onWindow(w));
        }
        return out;
    }

    @Test
    void makesTheSameDecisionsAsTheDetectorBeforeTheMoveOnEverySuite() {
        CalibrationSettings s = DriftguardDetector.settings(2000);
        int alarms = 0;
        for (SyntheticSuite suite : SyntheticSuite.values()) {
            for (int stream = 0; stream < 2; stream++) {
                double[][][] windows = suite.generate(200, stream, 3).windows();
                List<WindowDetector.Decision> now = run(new DriftguardDetector(s, suite.season()), windows);
                List<WindowDetector.Decision> before =
                        run(new LegacyDriftguardDetector(s, suite.season()), windows);
                assertThat(now).as("%s stream %d", suite, stream).isEqualTo(before);
                alarms += (int) now.stream().filter(WindowDetector.Decision::drift).count();
            }
        }
        assertThat(alarms).as("the comparison covers alarms").isGreaterThan(10);
    }

    @Test
    void makesTheSameDecisionsWithOtherReferenceLengthsAndASeason() {
        CalibrationSettings s = DriftguardDetector.settings(500).withReference(3, 2);
        for (int season : new int[] {0, 5}) {
            double[][][] windows = SyntheticSuite.GRADUAL.generate(200, 1, 7).windows();
            assertThat(run(new DriftguardDetector(s, season), windows))
                    .as("season %d", season)
                    .isEqualTo(run(new LegacyDriftguardDetector(s, season), windows));
        }
    }
}
