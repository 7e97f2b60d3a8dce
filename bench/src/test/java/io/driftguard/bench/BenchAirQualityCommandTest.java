package io.driftguard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.driftguard.operators.model.Architecture;
import io.driftguard.operators.model.ModelKind;
import io.driftguard.operators.model.TrainingSet;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The air-quality protocol's data preparation and error figures. */
class BenchAirQualityCommandTest {

    @TempDir Path dir;

    @Test
    void missingValuesAreInterpolatedAndEndsTakeTheNearest() {
        double[] c = {Double.NaN, 2, Double.NaN, Double.NaN, 8, Double.NaN};
        BenchAirQualityCommand.fill(c);
        assertThat(c).containsExactly(2, 2, 4, 6, 8, 8);
    }

    /** A station file over the real hours; PM2.5 = hour index, other features constant-ish, some NA. */
    private Path station(String name) throws Exception {
        Path csv = dir.resolve("PRSA_Data_" + name + "_20130301-20170228.csv");
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("\"No\",\"year\",\"month\",\"day\",\"hour\",\"PM2.5\",\"PM10\",\"SO2\",\"NO2\",\"CO\",\"O3\","
                    + "\"TEMP\",\"PRES\",\"DEWP\",\"RAIN\",\"wd\",\"WSPM\",\"station\"\n");
            LocalDateTime t = LocalDateTime.of(2013, 3, 1, 0, 0);
            for (int h = 0; h < 35_064; h++, t = t.plusHours(1)) {
                String pm = h == 100 ? "NA" : Integer.toString(h);
                w.write((h + 1) + "," + t.getYear() + "," + t.getMonthValue() + "," + t.getDayOfMonth() + ","
                        + t.getHour() + "," + pm + "," + (h % 7) + ",3,NA," + (h % 5) + "," + (h % 3)
                        + ",1,1000,1,0,\"N\",1,\"" + name + "\"\n");
            }
        }
        return csv;
    }

    @Test
    void samplesAreDaysOf24HoursWithTheNextHoursPm25() throws Exception {
        station("Test");
        BenchAirQualityCommand.Station s = BenchAirQualityCommand.load(dir, "Test", false);
        double scale = 35_063.0; // PM2.5 = hour index, min 0, max 35063
        // 2013-03-01..2016-06-30 is 1218 days; the validation and test windows 121 and 118 days
        assertThat(s.train().rows()).isEqualTo(1218);
        assertThat(s.validation().rows()).isEqualTo(121);
        assertThat(s.test().rows()).isEqualTo(118); // 2016-11-02..2017-02-27: 02-28 has no next hour
        assertThat(s.train().width()).isEqualTo(24 * 6);
        // day 4 (2013-03-05) reads hours 96..119; hour 100 was NA and is interpolated back to 100
        TrainingSet tr = s.train();
        for (int t = 0; t < 24; t++) {
            assertThat((double) tr.x()[4 * 144 + t * 6]).isCloseTo((96 + t) / scale, within(1e-6));
        }
        assertThat((double) tr.y()[4]).isCloseTo(120 / scale, within(1e-6));
        // an all-NA feature becomes 0; every value lies in [0, 1]
        for (float v : tr.x()) {
            assertThat(v).isBetween(0f, 1f);
        }
        assertThat(tr.x()[3]).isEqualTo(0f);
        // the first test day is 2016-11-02: day index 1342
        assertThat((double) s.test().y()[0]).isCloseTo((1342 * 24 + 24) / scale, within(1e-6));
    }

    @Test
    void errorsThePapersWayAndOverall() {
        // a model whose weights are all 0 predicts 0: errors are the targets themselves
        Architecture arch = new Architecture(ModelKind.GRU, 6, new int[] {2}, 1, 24);
        float[][] zero = new float[arch.parameterShapes().size()][];
        for (int t = 0; t < zero.length; t++) {
            int[] sh = arch.parameterShapes().get(t);
            zero[t] = new float[sh[0] * sh[1]];
        }
        int rows = 5;
        float[] y = {1, 1, 2, 2, 4};
        TrainingSet test = new TrainingSet(new float[rows * 144], rows, 144, y, null);
        BenchAirQualityCommand.Errors e = BenchAirQualityCommand.evaluate(arch, zero, test, 2);
        // batches {1,1}, {2,2}, {4}: RMSE 1, 2, 4; MAE the same
        assertThat(e.batchRmse()).isCloseTo(7 / 3.0, within(1e-12));
        assertThat(e.batchMae()).isCloseTo(7 / 3.0, within(1e-12));
        assertThat(e.rmse()).isCloseTo(Math.sqrt(26 / 5.0), within(1e-12));
        assertThat(e.mae()).isCloseTo(2.0, within(1e-12));
    }
}
