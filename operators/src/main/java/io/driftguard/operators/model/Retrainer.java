package io.driftguard.operators.model;

import io.driftguard.operators.model.ModelSettings.Strategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.annotation.Nullable;

/**
 * Turns a {@link TrainingRequest} into a validated model version.
 *
 * <p>The newest fifth of the labelled records after the change is held out. A key's first model
 * is trained from seeded initial weights. A retrain trains one candidate per configured {@link
 * Strategy} and keeps the one with the lowest held-out loss:
 *
 * <ul>
 *   <li>{@code retrain}: fine-tunes the serving weights on the records after the change; when that
 *       does not beat the serving version, a cold start on the same rows (a schema fitted to them)
 *       is tried too;
 *   <li>{@code fine-tune}: the serving weights at a third of the learning rate, the lowest {@code
 *       model.freeze-layers} hidden layers frozen (they carry the general features);
 *   <li>{@code weights}: the records before the change join the training rows, weighted by the
 *       density ratio {@code p_after(x) / p_before(x)} from an L2-regularised logistic domain
 *       classifier (the A-distance's model), clipped to [0.05, 20] and normalised to mean 1; their
 *       effective sample size goes into the lineage;
 *   <li>{@code meda}, {@code adversarial}: the records before the change join the labelled rows
 *       after it, and the trainer adds a distribution term on the hidden layer between the two
 *       domains ({@link Regularization}); the adversarial term's target domain is every record
 *       after the change, the unlabelled ones included, and its weight ramps up over the epochs;
 *   <li>{@code pseudo}: a first fit on the labelled rows labels the unlabelled records after the
 *       change; those whose confidence passes a class-wise threshold (FlexMatch: 0.95 scaled by
 *       {@code b / (2 - b)}, b the class's share of confident predictions relative to the largest)
 *       join the rows for a second fit.
 * </ul>
 *
 * <p>The gate: the chosen candidate is {@link ModelStatus#ACCEPTED} only when its held-out loss is
 * at most the serving version's (for a first model: that of the prior which serves before it, the
 * no-change prior under previous-label inputs, else the majority class or the mean)
 * times {@code 1 - acceptMargin}, and, when {@code pastMargin} is not -1, when on the samples the
 * key kept of its earlier regimes it loses at most {@code pastMargin} more than the serving version
 * does (so a regime that returns is not forgotten; both losses go into the lineage either way). Otherwise it is {@link ModelStatus#REJECTED} with the reason. Losses are the
 * error rate for classification and the mean squared error in the target's units, computed with
 * the plain-Java {@link Predictor}, so the gate measures exactly what would serve. The lineage's
 * strategy names the winner and records the effective sample size, the pseudo-labels taken, the
 * other strategies' held-out losses and the past check.
 */
public final class Retrainer {

    private static final double PSEUDO_THRESHOLD = 0.95;
    private static final double FINE_TUNE_RATE = 1.0 / 3;

    private final ModelSettings settings;
    private final ModelTrainer trainer;

    public Retrainer(ModelSettings settings, ModelTrainer trainer) {
        this.settings = settings;
        this.trainer = trainer;
    }

    /** One trained candidate. */
    private record Candidate(String strategy, String notes, FeatureSchema schema, float[][] weights, int epochs,
            double loss) {}

    /** The rows of a request, raw, and the shapes the strategies share. */
    private final class Job {
        final TrainingRequest req;
        final int d;
        final int width;
        final int nTrain;
        final int n;
        final Architecture arch;
        @Nullable final ModelArtifact parent;
        final boolean compatible;

        Job(TrainingRequest req) {
            this.req = req;
            this.n = req.rows();
            this.nTrain = n - heldOut(n);
            this.d = req.featureNames().length;
            this.width = d * settings.inputSteps();
            int outputs = settings.task() == Task.CLASSIFICATION ? req.classNames().length : 1;
            this.arch = settings.architecture(d, outputs);
            this.parent = req.parent();
            this.compatible = parent != null && parent.architecture().sameShape(arch)
                    && Arrays.equals(parent.classNames(), req.classNames())
                    && Arrays.equals(parent.schema().names(), req.featureNames())
                    && parent.schema().labelInputs() == req.labelInputs();
        }

        TrainingRequest.Rows train() {
            return slice(req.x(), req.y(), 0, nTrain);
        }

        TrainingRequest.Rows validation() {
            return slice(req.x(), req.y(), nTrain, n);
        }

        TrainingRequest.Rows slice(float[] x, float[] y, int from, int to) {
            return new TrainingRequest.Rows(Arrays.copyOfRange(x, from * width, to * width),
                    Arrays.copyOfRange(y, from, to), to - from);
        }

        @Nullable private FeatureSchema fitted;
        // the retrain candidate: pseudo-labelling starts from it, and under auto it is a candidate
        // of its own, so it is trained once per request
        @Nullable Candidate retrained;

        /** The schema fitted to the training rows (several strategies' cold starts share it). */
        FeatureSchema fittedSchema() {
            if (fitted == null) {
                fitted = fitSchema(train(), d, settings.inputSteps(), req.featureNames(), req.labelInputs());
            }
            return fitted;
        }
    }

    /** Rows of a request of {@code rows} held out for validation: the newest fifth, at least one. */
    static int heldOut(int rows) {
        return Math.max(1, rows / 5);
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
        Job job = new Job(req);
        List<Candidate> tried = new ArrayList<>();
        // a first training from a borrowed model with no strategy to adapt it starts cold (under
        // adapt none the stream keeps the borrowed model and sends no such request)
        if (job.parent == null || settings.strategies().isEmpty()) {
            tried.add(cold(job, "initial"));
        } else {
            for (Strategy s : settings.strategies()) {
                tried.add(run(job, s));
            }
        }
        Candidate best = tried.get(0);
        for (Candidate c : tried) {
            if (c.loss < best.loss) {
                best = c;
            }
        }
        TrainingRequest.Rows val = job.validation();
        // a first model has to beat what serves before it: the prior, which under previous-label
        // inputs is the no-change prior (KeyScoring), not the majority class
        double baseLoss = job.parent != null
                ? loss(job.parent, val, req.classNames(), job.width)
                : priorLoss(job.train(), val, req.classNames().length, job.width, req.labelInputs());
        boolean accept = best.loss <= baseLoss * (1 - settings.acceptMargin())
                && (best.loss < baseLoss || baseLoss == 0 && best.loss == 0 && job.parent == null);
        String reason = accept ? "" : String.format(Locale.ROOT,
                "validation loss %.4f does not undercut the %s's %.4f by %.0f%%", best.loss,
                job.parent != null ? "serving version " + job.parent.version()
                        : req.labelInputs() > 0 ? "no-change prior" : "prior", baseLoss,
                100 * settings.acceptMargin());
        StringBuilder strategy = new StringBuilder(best.strategy);
        if (job.parent != null && !job.parent.modelId().equals(req.modelId())) {
            strategy.append("; cold start from key ").append(job.parent.modelId()).append(" v")
                    .append(job.parent.version());
        }
        if (!best.notes.isEmpty()) {
            strategy.append("; ").append(best.notes);
        }
        ModelArtifact candidate = artifact(job, version, best, ModelStatus.ACCEPTED, "", best.strategy, baseLoss,
                deterministic, t0);
        if (accept && job.parent != null && req.past().rows() > 0) {
            double mine = loss(candidate, req.past(), req.classNames(), job.width);
            double theirs = loss(job.parent, req.past(), req.classNames(), job.width);
            strategy.append(String.format(Locale.ROOT, "; past regimes %.4f vs %.4f on %d rows", mine, theirs,
                    req.past().rows()));
            if (settings.pastMargin() >= 0 && mine > theirs + settings.pastMargin()) {
                accept = false;
                reason = String.format(Locale.ROOT,
                        "loses %.4f against the serving version's %.4f on %d rows of earlier regimes (margin %.2f)",
                        mine, theirs, req.past().rows(), settings.pastMargin());
            }
        }
        if (tried.size() > 1) {
            strategy.append("; tried");
            for (Candidate c : tried) {
                strategy.append(String.format(Locale.ROOT, " %s %.4f", c.strategy, c.loss));
            }
        }
        return artifact(job, version, best, accept ? ModelStatus.ACCEPTED : ModelStatus.REJECTED, reason,
                strategy.toString(), baseLoss, deterministic, t0);
    }

    private ModelArtifact artifact(Job job, long version, Candidate c, ModelStatus status, String reason,
            String strategy, double baseLoss, boolean deterministic, long t0) {
        TrainingRequest req = job.req;
        long millis = (System.nanoTime() - t0) / 1_000_000;
        Lineage l = new Lineage(job.parent == null ? 0 : job.parent.version(), req.trigger(), req.triggerStart(),
                req.triggerEnd(), strategy, req.firstTs(), req.lastTs(), job.n, c.loss, baseLoss, req.seed(),
                req.created(), deterministic ? 0 : millis, c.epochs);
        return new ModelArtifact(req.modelId(), version, status, reason, settings.task(), req.classNames(), job.arch,
                c.schema, c.weights, req.effectiveFrom(), l);
    }

    private Candidate run(Job job, Strategy s) {
        return switch (s) {
            case RETRAIN -> retrain(job);
            case FINE_TUNE -> fineTune(job);
            case WEIGHTS -> weighted(job);
            case PSEUDO -> pseudo(job);
            case MEDA, ADVERSARIAL -> regularized(job, s);
            case ADARNN -> acrossPeriods(job);
        };
    }

    /**
     * Domain generalisation across the key's history (AdaRNN): the records before the change and
     * after it, in time order, split into their most dissimilar periods and learnt together so that
     * the model holds on periods it has not seen; validated on the newest held-out records like
     * the others.
     */
    private Candidate acrossPeriods(Job job) {
        TrainingRequest.Rows history = concat(job.req.ref(), job.train(), job.width);
        FeatureSchema schema = job.compatible ? job.parent.schema() : job.fittedSchema();
        float[][] init = job.compatible ? job.parent.weights() : Predictor.initialWeights(job.arch, job.req.seed());
        TrainingSet train = standardize(history, null, schema, job.width);
        TrainingSet val = standardize(job.validation(), null, schema, job.width);
        TrainConfig cfg = settings.train().with(settings.train().learningRate(), job.req.seed());
        ModelTrainer.PeriodsOutcome out = trainer.fitAcrossPeriods(job.arch, settings.task(), init, train, val, cfg,
                io.driftguard.operators.model.adarnn.AdaRnnConfig.defaults());
        String notes = String.format(Locale.ROOT, "%d rows of history in %d periods", history.rows(),
                Math.max(1, out.periodBounds().length - 1));
        return candidate(job, "adarnn", notes, schema, out.outcome());
    }

    private Candidate retrain(Job job) {
        if (job.retrained == null) {
            job.retrained = retrainOnce(job);
        }
        return job.retrained;
    }

    private Candidate retrainOnce(Job job) {
        if (!job.compatible) {
            return cold(job, "retrain");
        }
        Candidate warm = fit(job, "retrain", "", job.parent.schema(), job.parent.weights(), job.train(), null,
                settings.train().learningRate(), 0, null);
        double parentLoss = loss(job.parent, job.validation(), job.req.classNames(), job.width);
        if (warm.loss <= parentLoss * (1 - settings.acceptMargin()) && warm.loss < parentLoss) {
            return warm;
        }
        // the warm start can sit in a basin the new data does not favour
        Candidate c = cold(job, "retrain-cold");
        return c.loss < warm.loss ? c : warm;
    }

    private Candidate cold(Job job, String name) {
        return fit(job, name, "", job.fittedSchema(), Predictor.initialWeights(job.arch, job.req.seed()), job.train(),
                null, settings.train().learningRate(), 0, null);
    }

    private Candidate fineTune(Job job) {
        if (!job.compatible) {
            return cold(job, "fine-tune-cold");
        }
        int perLayer = job.arch.kind() == ModelKind.GRU ? 3 : 2;
        int frozen = job.arch.kind() == ModelKind.LINEAR ? 0 : settings.freezeLower() * perLayer;
        return fit(job, "fine-tune", frozen > 0 ? "frozen tensors " + frozen : "", job.parent.schema(),
                job.parent.weights(), job.train(), null, settings.train().learningRate() * FINE_TUNE_RATE, frozen,
                null);
    }

    /** Instance transfer: the records before the change, weighted by the density ratio. */
    private Candidate weighted(Job job) {
        TrainingRequest.Rows ref = job.req.ref();
        if (ref.rows() < 10) {
            Candidate c = retrain(job);
            return new Candidate("weights", "no records before the change", c.schema, c.weights, c.epochs, c.loss);
        }
        FeatureSchema schema = job.compatible ? job.parent.schema() : job.fittedSchema();
        TrainingRequest.Rows cur = job.train();
        float[] w = densityRatio(schema, ref, cur, job.width, job.req.seed());
        double sum = 0;
        double sq = 0;
        for (float v : w) {
            sum += v;
            sq += (double) v * v;
        }
        double ess = sq == 0 ? 0 : sum * sum / sq;
        int n = ref.rows() + cur.rows();
        TrainingRequest.Rows both = concat(ref, cur, job.width);
        float[] weights = new float[n];
        System.arraycopy(w, 0, weights, 0, ref.rows());
        Arrays.fill(weights, ref.rows(), n, 1f);
        float[][] init = job.compatible ? job.parent.weights() : Predictor.initialWeights(job.arch, job.req.seed());
        return fit(job, "weights", String.format(Locale.ROOT, "effective sample size %.1f of %d", ess, ref.rows()),
                schema, init, both, weights, settings.train().learningRate(), 0, null);
    }

    /**
     * Importance weights of the {@code ref} rows: {@code P(after | x) / P(before | x)} times the
     * sizes' ratio, from a logistic regression telling the two apart (L2, on standardised inputs),
     * clipped to [0.05, 20] and normalised to mean 1.
     */
    float[] densityRatio(FeatureSchema schema, TrainingRequest.Rows ref, TrainingRequest.Rows cur, int width,
            long seed) {
        Architecture lin = new Architecture(ModelKind.LINEAR, width, new int[0], 2, 1);
        int n = ref.rows() + cur.rows();
        float[] x = new float[n * width];
        float[] y = new float[n];
        standardizeInto(ref.x(), ref.rows(), width, schema, x, 0);
        standardizeInto(cur.x(), cur.rows(), width, schema, x, ref.rows() * width);
        Arrays.fill(y, ref.rows(), n, 1f);
        TrainingSet set = new TrainingSet(x, n, width, y, null);
        TrainOutcome o = trainer.fit(lin, Task.CLASSIFICATION, Predictor.initialWeights(lin, seed), set,
                new TrainingSet(new float[0], 0, width, new float[0], null),
                new TrainConfig(0.05, 40, 256, 40, 1e-3, seed));
        float[] w0 = o.weights()[0];
        float[] b0 = o.weights()[1];
        double prior = (double) ref.rows() / Math.max(1, cur.rows());
        float[] w = new float[ref.rows()];
        double sum = 0;
        for (int i = 0; i < ref.rows(); i++) {
            // log-odds of "after" for a linear softmax with two outputs
            double z = b0[1] - b0[0];
            for (int j = 0; j < width; j++) {
                z += x[i * width + j] * (w0[j * 2 + 1] - w0[j * 2]);
            }
            double r = Math.exp(Math.max(-30, Math.min(30, z))) * prior;
            w[i] = (float) Math.max(0.05, Math.min(20, r));
            sum += w[i];
        }
        double mean = sum / Math.max(1, ref.rows());
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (w[i] / mean);
        }
        return w;
    }

    /** Self-training on the unlabelled records after the change, class-wise thresholds. */
    private Candidate pseudo(Job job) {
        Candidate base = retrain(job);
        TrainingRequest.Rows un = job.req.unlabelled();
        if (settings.task() != Task.CLASSIFICATION || un.rows() == 0) {
            return new Candidate("pseudo", "no unlabelled records", base.schema, base.weights, base.epochs, base.loss);
        }
        Predictor p = new Predictor(scratch(job, "pseudo", base.schema, base.weights));
        int classes = job.req.classNames().length;
        int[] label = new int[un.rows()];
        double[] conf = new double[un.rows()];
        int[] confident = new int[classes];
        double[] raw = new double[job.width];
        double[] out = new double[classes];
        for (int i = 0; i < un.rows(); i++) {
            for (int j = 0; j < job.width; j++) {
                raw[j] = un.x()[i * job.width + j];
            }
            p.predictRaw(raw, out);
            label[i] = Predictor.argmax(out, classes);
            conf[i] = out[label[i]];
            if (conf[i] > PSEUDO_THRESHOLD) {
                confident[label[i]]++;
            }
        }
        int most = Arrays.stream(confident).max().orElse(0);
        double[] threshold = new double[classes];
        for (int c = 0; c < classes; c++) {
            double beta = most == 0 ? 1 : (double) confident[c] / most;
            threshold[c] = PSEUDO_THRESHOLD * beta / (2 - beta);
        }
        TrainingRequest.Rows cur = job.train();
        int taken = 0;
        for (int i = 0; i < un.rows(); i++) {
            if (conf[i] >= threshold[label[i]] && conf[i] > 1.0 / classes) {
                taken++;
            }
        }
        int n = cur.rows() + taken;
        float[] x = Arrays.copyOf(cur.x(), n * job.width);
        float[] y = Arrays.copyOf(cur.y(), n);
        int k = cur.rows();
        for (int i = 0; i < un.rows(); i++) {
            if (conf[i] >= threshold[label[i]] && conf[i] > 1.0 / classes) {
                System.arraycopy(un.x(), i * job.width, x, k * job.width, job.width);
                y[k++] = label[i];
            }
        }
        Candidate second = fit(job, "pseudo", "pseudo-labels " + taken + " of " + un.rows(), base.schema,
                base.weights, new TrainingRequest.Rows(x, y, n), null, settings.train().learningRate(), 0, null);
        return second.loss <= base.loss ? second
                : new Candidate("pseudo", "pseudo-labels did not help; labelled rows only", base.schema, base.weights,
                        base.epochs, base.loss);
    }

    /** Feature transfer through a distribution term on the hidden layer. */
    private Candidate regularized(Job job, Strategy s) {
        TrainingRequest.Rows ref = job.req.ref();
        if (ref.rows() < 10 || job.arch.kind() == ModelKind.LINEAR) {
            Candidate c = retrain(job);
            return new Candidate(s.cliName(), ref.rows() < 10 ? "no records before the change" : "linear model: no hidden layer",
                    c.schema, c.weights, c.epochs, c.loss);
        }
        FeatureSchema schema = job.compatible ? job.parent.schema() : job.fittedSchema();
        float[][] init = job.compatible ? job.parent.weights() : Predictor.initialWeights(job.arch, job.req.seed());
        TrainingRequest.Rows cur = job.train();
        double mu = job.req.mu();
        String notes = "";
        int[] srcClass = new int[ref.rows()];
        int[] tgtClass = new int[cur.rows()];
        if (settings.task() == Task.CLASSIFICATION) {
            for (int i = 0; i < srcClass.length; i++) {
                srcClass[i] = (int) ref.y()[i];
            }
            for (int i = 0; i < tgtClass.length; i++) {
                tgtClass[i] = (int) cur.y()[i];
            }
        } else {
            Arrays.fill(srcClass, -1);
            Arrays.fill(tgtClass, -1);
        }
        TrainingRequest.Rows target = cur;
        if (s == Strategy.ADVERSARIAL) {
            mu = 0;
            // the domain classifier needs no labels: every record since the change is the target
            // domain, the unlabelled ones included (DANN's setting)
            TrainingRequest.Rows un = job.req.unlabelled();
            if (un.rows() > 0) {
                target = concat(cur, new TrainingRequest.Rows(un.x(), new float[un.rows()], un.rows()), job.width);
                tgtClass = new int[target.rows()];
                Arrays.fill(tgtClass, -1);
            }
            notes = String.format(Locale.ROOT, "target domain %d rows, %d unlabelled", target.rows(), un.rows());
        } else {
            if (!Double.isFinite(mu)) {
                mu = 0.5;
                notes = "mu 0.5 (the event carried none)";
            } else {
                notes = String.format(Locale.ROOT, "mu %.3f", mu);
            }
        }
        float[] src = new float[ref.rows() * job.width];
        float[] tgt = new float[target.rows() * job.width];
        standardizeInto(ref.x(), ref.rows(), job.width, schema, src, 0);
        standardizeInto(target.x(), target.rows(), job.width, schema, tgt, 0);
        Regularization reg = new Regularization(s == Strategy.MEDA ? Regularization.Kind.MEDA
                : Regularization.Kind.ADVERSARIAL, 1.0, mu, src, ref.rows(), srcClass, tgt, target.rows(), tgtClass,
                job.req.classNames().length, job.req.seed());
        // the task loss sees both domains' labels (the source's keep the class structure that the
        // term carries over); the term aligns their hidden layers
        return fit(job, s.cliName(), notes, schema, init, concat(ref, cur, job.width), null,
                settings.train().learningRate(), 0, reg);
    }

    private static TrainingRequest.Rows concat(TrainingRequest.Rows a, TrainingRequest.Rows b, int width) {
        float[] x = Arrays.copyOf(a.x(), (a.rows() + b.rows()) * width);
        System.arraycopy(b.x(), 0, x, a.rows() * width, b.rows() * width);
        float[] y = Arrays.copyOf(a.y(), a.rows() + b.rows());
        System.arraycopy(b.y(), 0, y, a.rows(), b.rows());
        return new TrainingRequest.Rows(x, y, a.rows() + b.rows());
    }

    private Candidate fit(Job job, String name, String notes, FeatureSchema schema, float[][] init,
            TrainingRequest.Rows rows, @Nullable float[] rowWeights, double rate, int frozen,
            @Nullable Regularization reg) {
        TrainingSet train = standardize(rows, rowWeights, schema, job.width);
        TrainingSet val = standardize(job.validation(), null, schema, job.width);
        TrainConfig cfg = settings.train().with(rate, job.req.seed());
        TrainOutcome out = reg == null && frozen == 0
                ? trainer.fit(job.arch, settings.task(), init, train, val, cfg)
                : trainer.fit(job.arch, settings.task(), init, train, val, cfg, reg, frozen);
        return candidate(job, name, notes, schema, out);
    }

    /** A trained candidate and its loss on the held-out rows. */
    private Candidate candidate(Job job, String name, String notes, FeatureSchema schema, TrainOutcome out) {
        return new Candidate(name, notes, schema, out.weights(), out.epochs(),
                loss(scratch(job, name, schema, out.weights()), job.validation(), job.req.classNames(), job.width));
    }

    /** Weights as a model the plain-Java predictor can run, for scoring a candidate before the gate. */
    private ModelArtifact scratch(Job job, String name, FeatureSchema schema, float[][] weights) {
        return new ModelArtifact(job.req.modelId(), 1, ModelStatus.ACCEPTED, "", settings.task(), job.req.classNames(),
                job.arch, schema, weights, 0, new Lineage(0, Trigger.MANUAL, -1, -1, name, 0, 0, 0, Double.NaN,
                Double.NaN, 0, 0, 0, 0));
    }

    private FeatureSchema fitSchema(TrainingRequest.Rows rows, int d, int steps, String[] names, int labelInputs) {
        // each row's newest record is the record predicted: its features describe the inputs
        double[] x = new double[rows.rows() * d];
        int width = d * steps;
        for (int i = 0; i < rows.rows(); i++) {
            for (int j = 0; j < d; j++) {
                x[i * d + j] = rows.x()[i * width + (steps - 1) * d + j];
            }
        }
        double[] targets = null;
        if (settings.task() == Task.REGRESSION) {
            targets = new double[rows.rows()];
            for (int i = 0; i < targets.length; i++) {
                targets[i] = rows.y()[i];
            }
        }
        return FeatureSchema.fit(names, x, rows.rows(), targets, labelInputs);
    }

    private TrainingSet standardize(TrainingRequest.Rows rows, @Nullable float[] weights, FeatureSchema s, int width) {
        float[] x = new float[rows.rows() * width];
        standardizeInto(rows.x(), rows.rows(), width, s, x, 0);
        float[] y = new float[rows.rows()];
        for (int i = 0; i < rows.rows(); i++) {
            y[i] = settings.task() == Task.REGRESSION
                    ? (float) ((rows.y()[i] - s.targetMean()) / s.targetStd())
                    : rows.y()[i];
        }
        return new TrainingSet(x, rows.rows(), width, y, weights);
    }

    private static void standardizeInto(float[] raw, int rows, int width, FeatureSchema s, float[] out, int offset) {
        double[] mean = s.mean();
        double[] std = s.std();
        int d = mean.length;
        for (int i = 0; i < rows * width; i++) {
            int j = i % d;
            out[offset + i] = (float) ((raw[i] - mean[j]) / std[j]);
        }
    }

    /** Error rate (labels by class name) or MSE of a model on raw rows. */
    static double loss(ModelArtifact m, TrainingRequest.Rows rows, String[] classNamesOfY, int width) {
        if (rows.rows() == 0) {
            return Double.NaN;
        }
        Predictor p = new Predictor(m);
        double[] raw = new double[width];
        double[] out = new double[p.outputWidth()];
        double sum = 0;
        for (int i = 0; i < rows.rows(); i++) {
            for (int k = 0; k < width; k++) {
                raw[k] = rows.x()[i * width + k];
            }
            p.predictRaw(raw, out);
            if (m.task() == Task.CLASSIFICATION) {
                String predicted = m.classNames()[Predictor.argmax(out, out.length)];
                sum += predicted.equals(classNamesOfY[(int) rows.y()[i]]) ? 0 : 1;
            } else {
                double e = out[0] - rows.y()[i];
                sum += e * e;
            }
        }
        return sum / rows.rows();
    }

    /**
     * Loss on {@code val} of the prior that serves a key before its first model, fitted on {@code
     * train}: the majority class, or the mean; with previous-label inputs ({@code labelInputs > 0})
     * the no-change prior, which predicts each row's previous label (the one-hot, or the target, of
     * the first lag of the row's newest record), falling back to the majority or mean where the row
     * has none.
     *
     * @param classes the number of classes, 0 for regression
     * @param width values per row
     * @param labelInputs values of each record that are previous labels, at the end of the record
     *     (for classification a one-hot of the classes per lag, newest first)
     */
    static double priorLoss(TrainingRequest.Rows train, TrainingRequest.Rows val, int classes, int width,
            int labelInputs) {
        boolean classification = classes > 0;
        float[] y = train.y();
        int major = -1;
        double mean = 0;
        if (classification) {
            java.util.Map<Integer, Integer> counts = new java.util.HashMap<>();
            int best = -1;
            for (int i = 0; i < train.rows(); i++) {
                int c = counts.merge((int) y[i], 1, Integer::sum);
                if (c > best || c == best && (int) y[i] < major) {
                    best = c;
                    major = (int) y[i];
                }
            }
        } else {
            for (int i = 0; i < train.rows(); i++) {
                mean += (y[i] - mean) / (i + 1);
            }
        }
        // the newest record's first lag starts right after its features
        int lag = width - labelInputs;
        double sum = 0;
        for (int i = 0; i < val.rows(); i++) {
            double target = val.y()[i];
            if (classification) {
                int predicted = major;
                for (int c = 0; labelInputs >= classes && c < classes; c++) {
                    if (val.x()[i * width + lag + c] > 0.5f) {
                        predicted = c;
                        break;
                    }
                }
                sum += (int) target == predicted ? 0 : 1;
            } else {
                double previous = labelInputs > 0 ? val.x()[i * width + lag] : Double.NaN;
                double predicted = Double.isFinite(previous) ? previous : mean;
                sum += (target - predicted) * (target - predicted);
            }
        }
        return sum / val.rows();
    }
}
