package io.driftguard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TcpdSeriesTest {

    @TempDir Path dir;

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void missingCellsCarryTheNearestEarlierValueElseTheNearestLaterOne() throws IOException {
        SeriesData s =
                SeriesData.readTcpd(
                        write(
                                "gaps.csv",
                                "t,time,a,b\n0,2000,,1\n1,2001,,x\n2,2002,5,3\n3,2003,,NaN\n"));
        assertThat(s.name()).isEqualTo("gaps");
        assertThat(s.rows())
                .isDeepEqualTo(new double[][] {{5, 1}, {5, 1}, {5, 3}, {5, 3}});
        assertThat(s.timestamps()).containsExactly("2000", "2001", "2002", "2003");
    }

    @Test
    void aColumnWithoutAnyValueIsRejected() throws IOException {
        Path f = write("empty.csv", "t,a,b\n0,1,\n1,2,\n");
        assertThatThrownBy(() -> SeriesData.readTcpd(f))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("'b' has no numeric value");
    }

    @Test
    void theDetectorFindsALevelShiftAndNothingInAConstantOrTinySeries() {
        SplittableRandom r = new SplittableRandom(3);
        double[][] x = new double[200][1];
        for (int t = 0; t < x.length; t++) {
            x[t][0] = 100 + (t >= 120 ? 8 : 0) + 2 * (r.nextDouble() - 0.5);
        }
        TcpdChangeDetector det = new TcpdChangeDetector();
        int[] cps = det.detect(x);
        assertThat(cps).hasSize(1);
        assertThat(cps[0]).isBetween(117, 121);

        double[][] flat = new double[40][2];
        for (double[] row : flat) {
            Arrays.fill(row, 7);
        }
        assertThat(det.detect(flat)).isEmpty();
        assertThat(det.detect(new double[][] {{1}})).isEmpty();
        assertThat(det.detect(new double[0][])).isEmpty();
        assertThat(TcpdChangeDetector.describe())
                .contains("binary segmentation", "MBIC", "last record before");
    }

    @Test
    void aChangeIsReportedAsTheLastRecordBeforeIt() {
        // records 0..11 at 0, 12..29 at 1: the change lies between records 11 and 12
        double[][] x = new double[30][1];
        for (int t = 12; t < x.length; t++) {
            x[t][0] = 1;
        }
        assertThat(new TcpdChangeDetector().detect(x)).containsExactly(11);
        // two dimensions, two changes: between 9 and 10 (dimension 0), 19 and 20 (dimension 1)
        double[][] y = new double[30][2];
        for (int t = 0; t < y.length; t++) {
            y[t][0] = t >= 10 ? 3 : 0;
            y[t][1] = t >= 20 ? -2 : 0;
        }
        assertThat(new TcpdChangeDetector().detect(y)).containsExactly(9, 19);
    }

    @Test
    void changesAreNotPlacedInTheFirstTwoOrLastThreeRecords() {
        // outliers in records 0 and n - 1: split off only by the unrestricted search
        double[][] x = new double[30][1];
        for (int t = 0; t < x.length; t++) {
            x[t][0] = t % 2;
        }
        x[0][0] = 40;
        x[29][0] = -40;
        int[] cps = new TcpdChangeDetector().detect(x);
        for (int c : cps) {
            assertThat(c).isBetween(1, 30 - 4);
        }
        // the unrestricted search does split the outliers off, so the range is what keeps them out
        int[] unrestricted =
                new io.driftguard.operators.detect.Segmentation(
                                io.driftguard.operators.detect.Segmentation.Cost.MEAN,
                                io.driftguard.operators.detect.Segmentation.Penalty.MBIC,
                                io.driftguard.operators.detect.Segmentation.Search.BINARY,
                                1, 5,
                                io.driftguard.operators.detect.Segmentation.SplitRange.ALL)
                        .changePoints(x);
        assertThat(unrestricted).containsAnyOf(1, 29);
        SplittableRandom r = new SplittableRandom(5);
        int found = 0;
        for (int trial = 0; trial < 200; trial++) {
            int n = 5 + r.nextInt(40);
            double[][] z = new double[n][1];
            // a level shift anywhere, edges included, and occasional outliers
            int shiftAt = r.nextInt(n);
            for (int t = 0; t < n; t++) {
                z[t][0] = r.nextDouble() + (t >= shiftAt ? 10 : 0) + (r.nextDouble() < 0.1 ? 10 : 0);
            }
            for (int c : new TcpdChangeDetector().detect(z)) {
                assertThat(c).as("n %d", n).isBetween(1, n - 4);
                found++;
            }
        }
        // the check above ran on many changes, not on empty answers
        assertThat(found).isGreaterThan(100);
    }
}
