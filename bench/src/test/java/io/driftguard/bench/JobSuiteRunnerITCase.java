package io.driftguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job under the {@code fixed} policy, fed synthetic streams through CSV replay on
 * MiniCluster, raises exactly the alarms of the benchmarked detector run in process on the same
 * windows: the job's decision is the one {@code bench detect} measures.
 */
class JobSuiteRunnerITCase {

    @TempDir Path dir;

    @Test
    void theJobUnderFixedAlarmsWhereTheBenchmarkedDetectorDoes() throws Exception {
        double erl = 2000;
        long seed = 3;
        for (SyntheticSuite suite : new SyntheticSuite[] {SyntheticSuite.MEAN_SHIFT, SyntheticSuite.VARIANCE, SyntheticSuite.NULL_T3}) {
            List<SyntheticStream> streams = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                streams.add(suite.generate(130, i, seed));
            }
            List<int[][]> job = JobSuiteRunner.alarms(streams, "fixed", erl, seed, 2, dir);
            assertThat(job).hasSize(2);
            int alarms = 0;
            for (int i = 0; i < streams.size(); i++) {
                int[][] direct =
                        BenchDetectCommand.alarms(
                                new DriftguardDetector(DriftguardDetector.settings(erl)), streams.get(i).windows());
                assertThat(job.get(i)[0]).as("%s stream %s", suite.label(), i).containsExactly(direct[0]);
                // and names the feature the detector names
                assertThat(job.get(i)[1]).as("%s stream %s", suite.label(), i).containsExactly(direct[1]);
                alarms += job.get(i)[0].length;
            }
            if (suite.hasChanges()) {
                // the changes at windows 60 and 120 of every stream, each within a window
                assertThat(alarms).isEqualTo(4);
            }
        }
    }
}
