package io.driftguard.operators.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * Turns a {@link TrainingRequest} into a validated model version: holds out the newest fifth of
 * the rows, trains on the rest (fine-tuning from the parent's weights where the parent reads the
 * same classes, else from seeded initial weights), and compares the candidate with the serving
 * version (or, for a key's first model, with the prior: the majority class or the mean) on the
 * held-out rows. When the warm start loses, a cold start on the same rows (seeded initial weights,
 * a schema fitted to the rows) is tried as well and the better of the two is judged. The candidate is {@link ModelStatus#ACCEPTED} only when its loss is at most the
 * serving loss times {@code 1 - acceptMargin}; otherwise it is {@link ModelStatus#REJECTED} with
 * the reason.
 *
 * <p>Losses are the error rate for classification and the mean squared error (in the target's
 * units) for regression, computed with the plain-Java {@link Predictor} so that the gate measures
 * exactly what will serve.
 */
public final class Retrainer {

    private final ModelSettings settings;
    private final ModelTrainer trainer;

    public Retrainer(ModelSettings settings, ModelTrainer trainer) {
        this.settings = settings;
        this.trainer = trainer;
    }

    /**
     * Trains and validates a candidate.
     *
     * @param req the request
     * @param version the version number the candidate gets
     * @param deterministic true under replay: the lineage records no wall-clock training time
     */
    public ModelArtifact train(TrainingRequest req, long version, boolean deterministic) {
        long t0 = System.nanoTime();
        int n = req.rows();
        int nVal = Math.max(1, n / 5);
        int nTrain = n - nVal;
        int d = req.featureNames().length;
        int steps = settings.inputSteps();
        int width = d * steps;
        Task task = settings.task();
        int outputs = task == Task.CLASSIFICATION ? req.classNames().length : 1;
        Architecture arch = settings.architecture(d, outputs);
        ModelArtifact parent = req.parent();
        boolean fineTune = parent != null && parent.architecture().sameShape(arch)
                && Arrays.equals(parent.classNames(), req.classNames())
                && Arrays.equals(parent.schema().names(), req.featureNames());
        FeatureSchema schema;
        float[][] init;
        if (fineTune) {
            schema = parent.schema();
            init = parent.weights();
        } else {
            schema = fitSchema(req, nTrain, d, steps);
            init = Predictor.initialWeights(arch, req.seed());
        }
        Candidate c = fit(req, arch, schema, init, parent, version, nTrain, n, d, width, deterministic, t0,
                fineTune ? "retrain" : parent == null ? "initial" : "retrain");
        if (fineTune && !c.accepted) {
            // the warm start can sit in a basin the new data does not favour: a cold start on the
            // same rows, with a schema fitted to them, gets its chance too
            FeatureSchema fresh = fitSchema(req, nTrain, d, steps);
            Candidate cold = fit(req, arch, fresh, Predictor.initialWeights(arch, req.seed()), parent, version,
                    nTrain, n, d, width, deterministic, t0, "retrain-cold");
            if (cold.loss < c.loss) {
                c = cold;
            }
        }
        return c.artifact;
    }

    private record Candidate(ModelArtifact artifact, double loss, boolean accepted) {}

    private Candidate fit(TrainingRequest req, Architecture arch, FeatureSchema schema, float[][] init,
            ModelArtifact parent, long version, int nTrain, int n, int d, int width, boolean deterministic,
            long t0, String strategy) {
        Task task = settings.task();
        TrainingSet all = standardize(req, schema, d, width);
        TrainingSet trainSet = all.slice(0, nTrain);
        TrainingSet valSet = all.slice(nTrain, n);
        TrainOutcome out = trainer.fit(arch, task, init, trainSet, valSet, settings.train().with(
                settings.train().learningRate(), req.seed()));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        Lineage draft = new Lineage(parent == null ? 0 : parent.version(), req.trigger(), req.triggerStart(),
                req.triggerEnd(), strategy, req.firstTs(), req.lastTs(), n,
                Double.NaN, Double.NaN, req.seed(), req.created(), deterministic ? 0 : millis, out.epochs());
        ModelArtifact candidate = new ModelArtifact(req.modelId(), version, ModelStatus.ACCEPTED, "", task,
                req.classNames(), arch, schema, out.weights(), req.effectiveFrom(), draft);
        double candLoss = loss(candidate, req, nTrain, n, d, width);
        double baseLoss = parent != null ? loss(parent, req, nTrain, n, d, width) : priorLoss(req, nTrain, n);
        boolean accept = candLoss <= baseLoss * (1 - settings.acceptMargin())
                && (candLoss < baseLoss || baseLoss == 0 && candLoss == 0 && parent == null);
        Lineage lineage = new Lineage(draft.parentVersion(), draft.trigger(), draft.triggerStart(), draft.triggerEnd(),
                draft.strategy(), draft.trainFrom(), draft.trainTo(), n, candLoss, baseLoss, draft.seed(),
                draft.created(), draft.trainMillis(), draft.epochs());
        String reason = accept ? "" : String.format(Locale.ROOT,
                "validation loss %.4f does not undercut the %s's %.4f by %.0f%%", candLoss,
                parent == null ? "prior" : "serving version " + parent.version(), baseLoss,
                100 * settings.acceptMargin());
        ModelArtifact a = new ModelArtifact(req.modelId(), version, accept ? ModelStatus.ACCEPTED : ModelStatus.REJECTED,
                reason, task, req.classNames(), arch, schema, out.weights(), req.effectiveFrom(), lineage);
        return new Candidate(a, candLoss, accept);
    }

    private FeatureSchema fitSchema(TrainingRequest req, int nTrain, int d, int steps) {
        // each row's newest record is the record predicted: its features describe the inputs
        double[] rows = new double[nTrain * d];
        double[] targets = settings.task() == Task.REGRESSION ? new double[nTrain] : null;
        int width = d * steps;
        for (int i = 0; i < nTrain; i++) {
            for (int j = 0; j < d; j++) {
                rows[i * d + j] = req.x()[i * width + (steps - 1) * d + j];
            }
            if (targets != null) {
                targets[i] = req.y()[i];
            }
        }
        return FeatureSchema.fit(req.featureNames(), rows, nTrain, targets);
    }

    private TrainingSet standardize(TrainingRequest req, FeatureSchema s, int d, int width) {
        int n = req.rows();
        float[] x = new float[n * width];
        float[] y = new float[n];
        double[] mean = s.mean();
        double[] std = s.std();
        for (int i = 0; i < n * width; i++) {
            int j = i % d;
            x[i] = (float) ((req.x()[i] - mean[j]) / std[j]);
        }
        for (int i = 0; i < n; i++) {
            y[i] = settings.task() == Task.REGRESSION
                    ? (float) ((req.y()[i] - s.targetMean()) / s.targetStd())
                    : req.y()[i];
        }
        return new TrainingSet(x, n, width, y, null);
    }

    /** Error rate or MSE of a model on rows [from, to), labels mapped by class name. */
    static double loss(ModelArtifact m, TrainingRequest req, int from, int to, int d, int width) {
        Predictor p = new Predictor(m);
        double[] raw = new double[width];
        double[] out = new double[p.outputWidth()];
        double sum = 0;
        for (int i = from; i < to; i++) {
            for (int k = 0; k < width; k++) {
                raw[k] = req.x()[i * width + k];
            }
            p.predictRaw(raw, out);
            if (m.task() == Task.CLASSIFICATION) {
                String predicted = m.classNames()[Predictor.argmax(out, out.length)];
                String actual = req.classNames()[(int) req.y()[i]];
                sum += predicted.equals(actual) ? 0 : 1;
            } else {
                double e = out[0] - req.y()[i];
                sum += e * e;
            }
        }
        return to > from ? sum / (to - from) : Double.NaN;
    }

    /** Loss of the prior fitted on the training rows: the majority class, or the mean. */
    static double priorLoss(TrainingRequest req, int nTrain, int n) {
        float[] y = req.y();
        if (req.classNames().length > 0) {
            int[] counts = new int[req.classNames().length];
            for (int i = 0; i < nTrain; i++) {
                counts[(int) y[i]]++;
            }
            int major = 0;
            for (int c = 1; c < counts.length; c++) {
                if (counts[c] > counts[major]) {
                    major = c;
                }
            }
            double wrong = 0;
            for (int i = nTrain; i < n; i++) {
                wrong += (int) y[i] == major ? 0 : 1;
            }
            return wrong / (n - nTrain);
        }
        double mean = 0;
        for (int i = 0; i < nTrain; i++) {
            mean += (y[i] - mean) / (i + 1);
        }
        double se = 0;
        for (int i = nTrain; i < n; i++) {
            se += (y[i] - mean) * (y[i] - mean);
        }
        return se / (n - nTrain);
    }
}
