package io.driftguard.bench;

import io.driftguard.jobs.cli.UserError;
import io.driftguard.jobs.dashboard.Progress;
import io.driftguard.operators.model.Architecture;
import io.driftguard.operators.model.FeatureSchema;
import io.driftguard.operators.model.Lineage;
import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelKind;
import io.driftguard.operators.model.ModelStatus;
import io.driftguard.operators.model.Predictor;
import io.driftguard.operators.model.Task;
import io.driftguard.operators.model.TrainConfig;
import io.driftguard.operators.model.TrainOutcome;
import io.driftguard.operators.model.TrainingSet;
import io.driftguard.operators.model.Trigger;
import io.driftguard.operators.model.adarnn.AdaRnnConfig;
import io.driftguard.operators.model.adarnn.AdaRnnResult;
import io.driftguard.operators.model.train.AdaRnn;
import io.driftguard.operators.model.train.Nd4jRuntime;
import io.driftguard.operators.model.train.Nd4jTrainer;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code driftguard bench airquality}: the AdaRNN air-quality protocol (Du et al., CIKM 2021) on
 * the Beijing multi-site data, a plain GRU against AdaRNN with the same architecture and budget.
 *
 * <p>Per station: the hourly PM2.5, PM10, SO2, NO2, CO and O3; a missing value is filled by linear
 * interpolation in time between the nearest observed values of the same feature (the nearest one
 * at the ends of the file); each feature is min-max scaled to [0, 1] over the station's whole file
 * ({@code --scale all}, as the published preprocessed data) or over the training days ({@code
 * --scale train}). A sample is one day: its 24 hourly records, oldest first; the target is the
 * scaled PM2.5 of the next hour (00:00 of the following day). Days: train 2013-03-01..2016-06-30,
 * validation 2016-07-02..2016-10-30, test 2016-11-02..2017-02-28 (2017-02-28 has no next hour in
 * the data and is dropped). Errors are on the scaled target: the public code's figure (the mean
 * over test batches of 36 days, in time order, of each batch's RMSE; the last batch smaller), the
 * overall RMSE, and the MAE both ways.
 */
@Command(
        name = "airquality",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmark AdaRNN (TDC + TDM) against a plain GRU on the AdaRNN air-quality protocol"
                    + " (Beijing multi-site data, --data): per station, RMSE and MAE on the min-max scaled"
                    + " next-hour PM2.5, the paper's way (mean of per-batch RMSE, batch 36) and overall."
        })
public final class BenchAirQualityCommand implements Callable<Integer> {

    static final String[] FEATURES = {"PM2.5", "PM10", "SO2", "NO2", "CO", "O3"};
    static final LocalDate FIRST_DAY = LocalDate.of(2013, 3, 1);
    static final LocalDate[] SPLITS = {
        LocalDate.of(2013, 3, 1), LocalDate.of(2016, 6, 30),
        LocalDate.of(2016, 7, 2), LocalDate.of(2016, 10, 30),
        LocalDate.of(2016, 11, 2), LocalDate.of(2017, 2, 28)};
    static final int HOURS = 24;

    @Option(names = "--data", description = "folder of PRSA_Data_<Station>_20130301-20170228.csv"
            + " (default: ../shared/data/beijing_air_quality)")
    Path data = Path.of("..", "shared", "data", "beijing_air_quality");

    @Option(names = "--stations", split = ",", description = "stations (default: ${DEFAULT-VALUE})")
    List<String> stations = List.of("Dongsi", "Tiantan", "Nongzhanguan", "Dingling");

    @Option(names = "--models", split = ",", description = "gru and/or adarnn (default: ${DEFAULT-VALUE})")
    List<String> models = List.of("gru", "adarnn");

    @Option(names = "--hidden", split = ",", description = "GRU layer sizes (default: ${DEFAULT-VALUE})")
    int[] hidden = {64, 64};

    @Option(names = "--epochs", description = "epochs at most (default: ${DEFAULT-VALUE})")
    int epochs = 200;

    @Option(names = "--patience", description = "early-stopping patience in epochs (default: ${DEFAULT-VALUE})")
    int patience = 40;

    @Option(names = "--lr", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
    double lr = 5e-4;

    @Option(names = "--batch", description = "minibatch (per period for adarnn) and test batch (default: ${DEFAULT-VALUE})")
    int batch = 36;

    @Option(names = "--periods", split = ",", description = "AdaRNN's K; with several, each is fitted and the one with"
            + " the lowest validation loss is reported (default: ${DEFAULT-VALUE})")
    List<Integer> periods = List.of(2);

    @Option(names = "--lambda", description = "weight of the distribution-matching term (default: ${DEFAULT-VALUE})")
    double lambda = 0.1;

    @Option(names = "--pretrain", description = "AdaRNN epochs before boosting (default: ${DEFAULT-VALUE})")
    int pretrain = 20;

    @Option(names = "--scale", description = "min-max range: all (whole file) or train (default: ${DEFAULT-VALUE})")
    String scale = "all";

    @Option(names = "--seed", description = "seed of initial weights and batch order (default: ${DEFAULT-VALUE})")
    long seed = 10;

    /** One station's samples. */
    record Station(String name, TrainingSet train, TrainingSet validation, TrainingSet test) {}

    /** Errors on one test set. */
    record Errors(double batchRmse, double batchMae, double rmse, double mae) {}

    @Override
    public Integer call() throws Exception {
        if (!scale.equals("all") && !scale.equals("train")) {
            throw new UserError("--scale must be all or train, got " + scale);
        }
        for (String m : models) {
            if (!m.equals("gru") && !m.equals("adarnn")) {
                throw new UserError("--models takes gru and adarnn, got " + m);
            }
        }
        Architecture arch = new Architecture(ModelKind.GRU, FEATURES.length, hidden, 1, HOURS);
        TrainConfig cfg = new TrainConfig(lr, epochs, batch, patience, 0, seed);
        for (int k : periods) {
            if (k < 2 || k > 10) {
                throw new UserError("--periods takes K from 2 to 10, got " + k);
            }
        }
        AdaRnnConfig ac = new AdaRnnConfig(periods.get(0), 10, batch, 512, lambda, pretrain, 3.0);
        System.out.println("AdaRNN air-quality protocol: " + arch + ", Adam " + lr + ", batch " + batch
                + ", at most " + epochs + " epochs, patience " + patience + "; adarnn K=" + (periods.size() == 1 ? periods.get(0) + "" : periods + " by validation loss")
                + ", lambda " + lambda + ", " + pretrain + " pre-training epochs, linear MMD; scale "
                + scale + "; seed " + seed);
        Nd4jRuntime.ensureReady();
        System.out.println("ND4J threads " + Nd4jRuntime.threads() + " (" + Nd4jRuntime.THREADS_PROPERTY
                + "), OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores");
        System.out.println();
        System.out.println("| station | model | RMSE (batch mean) | MAE (batch mean) | RMSE | MAE | epochs"
                + " | train s | periods (train days) |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        try (Progress progress = Progress.onTerminal("bench airquality", (long) stations.size() * models.size(),
                "models").guardSystemStreams()) {
            table(stations, models, arch, cfg, ac, progress);
        }
        return 0;
    }

    private void table(List<String> stations, List<String> models, Architecture arch, TrainConfig cfg,
            AdaRnnConfig ac, Progress progress) throws Exception {
        for (String name : stations) {
            Station st = load(data, name, scale.equals("train"));
            for (String m : models) {
                progress.phase(name + ", " + m);
                float[][] init = Predictor.initialWeights(arch, seed);
                TrainOutcome o;
                String split = "";
                if (m.equals("gru")) {
                    o = new Nd4jTrainer().fit(arch, Task.REGRESSION, init, st.train(), st.validation(), cfg);
                } else {
                    // K by the validation loss that early stopping already measures (never the test)
                    AdaRnnResult r = null;
                    for (int k : periods) {
                        AdaRnnResult candidate = AdaRnn.fitDetailed(arch, Task.REGRESSION, init, st.train(),
                                st.validation(), cfg, ac.with(k, ac.lambda(), ac.pretrainEpochs()));
                        if (periods.size() > 1) {
                            System.err.printf(Locale.ROOT, "%s adarnn K=%d: validation loss %.6g%n", name, k,
                                    candidate.outcome().validationLoss());
                        }
                        if (r == null || candidate.outcome().validationLoss() < r.outcome().validationLoss()) {
                            r = candidate;
                        }
                    }
                    o = r.outcome();
                    split = periodsText(r.periodBoundaries());
                }
                Errors e = evaluate(arch, o.weights(), st.test(), batch);
                System.out.printf(Locale.ROOT, "| %s | %s | %.4f | %.4f | %.4f | %.4f | %d | %.1f | %s |%n",
                        name, m, e.batchRmse(), e.batchMae(), e.rmse(), e.mae(), o.epochs(),
                        o.millis() / 1000.0, split);
                System.out.flush();
                progress.advance(1);
            }
        }
    }

    private static String periodsText(int[] bounds) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i + 1 < bounds.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(FIRST_DAY.plusDays(bounds[i])).append("..").append(FIRST_DAY.plusDays(bounds[i + 1] - 1));
        }
        return sb.toString();
    }

    /** A station's train, validation and test samples. */
    static Station load(Path dir, String station, boolean scaleOnTrain) throws IOException {
        Path csv = dir.resolve("PRSA_Data_" + station + "_20130301-20170228.csv");
        if (!Files.isReadable(csv)) {
            throw new UserError("no " + csv + " (--data, --stations)");
        }
        double[][] v = readHourly(csv);
        int hours = v.length;
        int trainHours = (int) (ChronoUnit.DAYS.between(FIRST_DAY, SPLITS[1]) + 1) * HOURS;
        double[][] cols = columns(v);
        for (int f = 0; f < FEATURES.length; f++) {
            fill(cols[f]);
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int h = 0; h < (scaleOnTrain ? trainHours : hours); h++) {
                min = Math.min(min, cols[f][h]);
                max = Math.max(max, cols[f][h]);
            }
            double range = max > min ? max - min : 1;
            for (int h = 0; h < hours; h++) {
                v[h][f] = (cols[f][h] - min) / range;
            }
        }
        return new Station(station, samples(v, SPLITS[0], SPLITS[1]), samples(v, SPLITS[2], SPLITS[3]),
                samples(v, SPLITS[4], SPLITS[5]));
    }

    /** The feature columns of an hourly table (copies). */
    private static double[][] columns(double[][] v) {
        double[][] c = new double[FEATURES.length][v.length];
        for (int h = 0; h < v.length; h++) {
            for (int f = 0; f < FEATURES.length; f++) {
                c[f][h] = v[h][f];
            }
        }
        return c;
    }

    /** Days {@code from..to} inclusive whose next hour is in the data: 24 records in, next PM2.5 out. */
    static TrainingSet samples(double[][] v, LocalDate from, LocalDate to) {
        int first = (int) ChronoUnit.DAYS.between(FIRST_DAY, from);
        int last = (int) ChronoUnit.DAYS.between(FIRST_DAY, to);
        while ((last + 1) * HOURS >= v.length) {
            last--;
        }
        int rows = last - first + 1;
        int width = HOURS * FEATURES.length;
        float[] x = new float[rows * width];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            int h0 = (first + r) * HOURS;
            for (int t = 0; t < HOURS; t++) {
                for (int f = 0; f < FEATURES.length; f++) {
                    x[r * width + t * FEATURES.length + f] = (float) v[h0 + t][f];
                }
            }
            y[r] = (float) v[h0 + HOURS][0];
        }
        return new TrainingSet(x, rows, width, y, null);
    }

    /** The six features per hour, in file order; NaN where the file says NA. */
    static double[][] readHourly(Path csv) throws IOException {
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String[] header = split(in.readLine());
            int[] at = new int[FEATURES.length];
            for (int f = 0; f < FEATURES.length; f++) {
                at[f] = Arrays.asList(header).indexOf(FEATURES[f]);
                if (at[f] < 0) {
                    throw new UserError(csv + " has no column " + FEATURES[f]);
                }
            }
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = split(line);
                double[] r = new double[FEATURES.length];
                for (int f = 0; f < FEATURES.length; f++) {
                    String c = cells[at[f]];
                    r[f] = c.isEmpty() || c.equals("NA") ? Double.NaN : Double.parseDouble(c);
                }
                rows.add(r);
            }
        }
        return rows.toArray(new double[0][]);
    }

    private static String[] split(String line) {
        String[] cells = line.split(",", -1);
        for (int i = 0; i < cells.length; i++) {
            cells[i] = cells[i].replace("\"", "").trim();
        }
        return cells;
    }

    /** Linear interpolation over NaN runs; the nearest value at either end. */
    static void fill(double[] c) {
        int prev = -1;
        for (int i = 0; i <= c.length; i++) {
            if (i < c.length && Double.isNaN(c[i])) {
                continue;
            }
            if (i - prev > 1) {
                for (int j = prev + 1; j < i; j++) {
                    if (prev < 0 && i < c.length) {
                        c[j] = c[i];
                    } else if (i == c.length) {
                        c[j] = prev < 0 ? 0 : c[prev];
                    } else {
                        c[j] = c[prev] + (c[i] - c[prev]) * (j - prev) / (double) (i - prev);
                    }
                }
            }
            prev = i;
        }
    }

    /** Test errors with the plain-Java predictor; the batch figures over batches in time order. */
    static Errors evaluate(Architecture arch, float[][] weights, TrainingSet test, int batch) {
        double[] mean = new double[arch.inputs()];
        double[] std = new double[arch.inputs()];
        Arrays.fill(std, 1);
        FeatureSchema schema = new FeatureSchema(FeatureSchema.positionalNames(arch.inputs()), mean, std, 0, 1);
        Lineage lineage = new Lineage(0, Trigger.INITIAL, -1, -1, "bench", 0, 0, 0, Double.NaN,
                Double.NaN, 0, 0, 0, 0);
        ModelArtifact m = new ModelArtifact("airquality", 1, ModelStatus.ACCEPTED, "", Task.REGRESSION,
                new String[0], arch, schema, weights, 0, lineage);
        Predictor p = new Predictor(m);
        double[] in = new double[test.width()];
        double[] out = new double[1];
        double sq = 0;
        double abs = 0;
        double batchRmse = 0;
        double batchMae = 0;
        int batches = 0;
        double bSq = 0;
        double bAbs = 0;
        int bN = 0;
        for (int i = 0; i < test.rows(); i++) {
            for (int j = 0; j < in.length; j++) {
                in[j] = test.x()[i * test.width() + j];
            }
            p.predictStandardized(in, out);
            double e = out[0] - test.y()[i];
            sq += e * e;
            abs += Math.abs(e);
            bSq += e * e;
            bAbs += Math.abs(e);
            bN++;
            if (bN == batch || i == test.rows() - 1) {
                batchRmse += Math.sqrt(bSq / bN);
                batchMae += bAbs / bN;
                batches++;
                bSq = 0;
                bAbs = 0;
                bN = 0;
            }
        }
        return new Errors(batchRmse / batches, batchMae / batches, Math.sqrt(sq / test.rows()),
                abs / test.rows());
    }
}
