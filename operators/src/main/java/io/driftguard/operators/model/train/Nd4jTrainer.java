package io.driftguard.operators.model.train;

import io.driftguard.operators.model.Architecture;
import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelTrainer;
import io.driftguard.operators.model.Task;
import io.driftguard.operators.model.TrainConfig;
import io.driftguard.operators.model.TrainOutcome;
import io.driftguard.operators.model.TrainingSet;
import io.driftguard.operators.sketch.SplitMix64;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.annotation.Nullable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a model's weights with ND4J SameDiff: a custom loop of minibatch gradients and Adam, with
 * early stopping on the validation loss.
 *
 * <p>The loss is {@link ModelGraph}'s: softmax cross-entropy on class indices or squared error on
 * the standardised target, each a weighted mean over the minibatch with {@link
 * TrainingSet#weights()} (rows weigh {@code w_i / sum w} of their batch), plus {@code l2 * sum
 * W^2} over the weight matrices (added as its gradient {@code 2 l2 W}). Each epoch visits the
 * training rows in an order drawn with {@link SplitMix64} from the configuration's seed; the last
 * minibatch of an epoch may be smaller.
 * Adam ({@code beta1 = 0.9, beta2 = 0.999, eps = 1e-8}, bias-corrected) updates every trainable
 * variable. After each epoch the task loss on the validation rows (weighted the same way; the
 * training rows when there are none) is compared with the best so far; the initial weights count
 * as epoch 0, so a fine-tuning run never returns weights that validate worse than its start.
 * Training stops after {@code patience} epochs without a strictly lower loss and returns the best
 * epoch's weights.
 *
 * <p>Where it runs: the feed-forward kinds ({@code LINEAR}, {@code MLP}), with or without a
 * {@link io.driftguard.operators.model.Regularization}, train on {@link DenseTrainer}, hand-written
 * gradients in plain Java with this same objective, optimiser, batch order and early stopping
 * (SameDiff's per-op interpretation costs more than such a model's arithmetic); the GRU, and a fit
 * given its own {@link LossTerm}, train on SameDiff as described here.
 *
 * <p>Deterministic: ND4J runs on pinned threads ({@link Nd4jRuntime}, one by default), the batch
 * order is seeded, and nothing else is random, so the same inputs give the same weights bit for
 * bit on the same backend.
 *
 * <p>Cost: the graph of an architecture and task is built once per trainer and reused (graph
 * construction and the gradient graph cost tens of milliseconds); each minibatch is one forward
 * and backward pass plus two native ops per variable. Not thread safe across threads: {@code fit}
 * is synchronized; use one trainer per training thread.
 */
public final class Nd4jTrainer implements ModelTrainer {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;
    /** Rows per forward pass when evaluating a loss over a whole set. */
    private static final int EVAL_CHUNK = 8192;

    private record GraphKey(Architecture arch, Task task, DataType dataType) {}

    private final Map<GraphKey, ModelGraph> graphs = new HashMap<>();
    private final DataType dataType;
    private final boolean dense;

    /** A trainer in single precision. */
    public Nd4jTrainer() {
        this(DataType.FLOAT);
    }

    /**
     * A trainer in the given precision ({@code FLOAT}, or {@code DOUBLE} for checks); feed-forward
     * models train on the plain-Java {@link DenseTrainer} (in double precision either way).
     */
    public Nd4jTrainer(DataType dataType) {
        this(dataType, true);
    }

    private Nd4jTrainer(DataType dataType, boolean dense) {
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("trains in FLOAT or DOUBLE, not " + dataType);
        }
        this.dataType = dataType;
        this.dense = dense;
        Nd4jRuntime.ensureReady();
    }

    /** A trainer that fits every kind on SameDiff, the feed-forward ones too (for parity checks). */
    static Nd4jTrainer sameDiffOnly(DataType dataType) {
        return new Nd4jTrainer(dataType, false);
    }

    @Override
    public TrainOutcome fit(Architecture arch, Task task, float[][] init, TrainingSet train,
            TrainingSet validation, TrainConfig config) {
        return fit(arch, task, init, train, validation, config, (io.driftguard.operators.model.Regularization) null,
                0);
    }

    @Override
    public PeriodsOutcome fitAcrossPeriods(Architecture arch, Task task, float[][] init, TrainingSet history,
            TrainingSet validation, TrainConfig config, io.driftguard.operators.model.adarnn.AdaRnnConfig adarnn) {
        io.driftguard.operators.model.adarnn.AdaRnnResult r =
                AdaRnn.fitDetailed(arch, task, init, history, validation, config, adarnn);
        return new PeriodsOutcome(r.outcome(), r.periodBoundaries());
    }

    @Override
    public TrainOutcome fit(Architecture arch, Task task, float[][] init, TrainingSet train,
            TrainingSet validation, TrainConfig config,
            @Nullable io.driftguard.operators.model.Regularization regularization, int frozenTensors) {
        if (dense && DenseTrainer.handles(arch, regularization)) {
            synchronized (this) {
                checkFit(arch, task, init, train, validation, config, frozenTensors);
                return DenseTrainer.fit(arch, task, init, train, validation, config, regularization, frozenTensors);
            }
        }
        return fit(arch, task, init, train, validation, config,
                regularization == null ? null : DomainTerms.of(regularization, dataType), frozenTensors);
    }

    /**
     * Fits with an extra loss term and the lower tensors frozen.
     *
     * @param extra an extra loss term, or null; a graph with one is built for this fit only
     * @param frozenTensors the number of leading parameter tensors (in {@link
     *     Architecture#parameterShapes()} order, i.e. the lower layers) that keep their initial
     *     values
     */
    public synchronized TrainOutcome fit(Architecture arch, Task task, float[][] init,
            TrainingSet train, TrainingSet validation, TrainConfig config, @Nullable LossTerm extra,
            int frozenTensors) {
        long start = System.nanoTime();
        Nd4jRuntime.pinCurrentThread();
        checkFit(arch, task, init, train, validation, config, frozenTensors);
        ModelGraph g = extra == null
                ? graphs.computeIfAbsent(new GraphKey(arch, task, dataType),
                        k -> ModelGraph.build(k.arch(), k.task(), k.dataType(), null))
                : ModelGraph.build(arch, task, dataType, extra);
        g.setWeights(init);
        SameDiff sd = g.sameDiff();

        List<String> frozen = new ArrayList<>();
        for (int t = 0; t < frozenTensors; t++) {
            frozen.addAll(g.variableNames(t));
        }
        List<String> updated = new ArrayList<>(g.trainableNames());
        updated.removeAll(frozen);
        Map<String, INDArray[]> adam = new LinkedHashMap<>(); // name -> {param, v, m}
        for (String name : updated) {
            INDArray p = sd.getArrForVarName(name);
            adam.put(name, new INDArray[] {p, Nd4j.zerosLike(p), Nd4j.zerosLike(p)});
        }

        TrainingSet checkSet = validation.rows() > 0 ? validation : train;
        EarlyStopping stop = new EarlyStopping(evaluate(g, checkSet), g.weights(), config.patience());
        int iteration = 0;
        int n = train.rows();
        int batch = Math.min(config.batchSize(), n);
        int[] order = EarlyStopping.identity(n);
        SplitMix64 rnd = new SplitMix64(config.seed());
        Batch buf = new Batch(batch, train.width(), arch.outputs(), task);
        for (int epoch = 0; epoch < config.maxEpochs(); epoch++) {
            EarlyStopping.shuffle(order, rnd);
            if (extra != null) {
                extra.startEpoch(epoch, config.maxEpochs());
            }
            int step = 0;
            for (int from = 0; from < n; from += batch, step++) {
                int to = Math.min(n, from + batch);
                int[] rows = java.util.Arrays.copyOfRange(order, from, to);
                Map<String, INDArray> feed = buf.fill(train, rows, dataType);
                if (extra != null) {
                    feed.putAll(extra.feed(epoch, step, rows));
                }
                Map<String, INDArray> grads = gradients(g, feed, adam.keySet(), config.l2());
                for (Map.Entry<String, INDArray[]> e : adam.entrySet()) {
                    INDArray[] s = e.getValue();
                    INDArray grad = grads.get(e.getKey());
                    // in place: grad becomes the update, v and m advance
                    Nd4j.exec(new AdamUpdater(grad, s[1], s[2], config.learningRate(), BETA1, BETA2,
                            EPSILON, iteration));
                    s[0].subi(grad);
                }
                iteration++;
            }
            if (!stop.afterEpoch(evaluate(g, checkSet), g::weights)) {
                break;
            }
        }
        return new TrainOutcome(stop.bestWeights(), stop.epochs(), stop.bestLoss(),
                (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Gradients of the training objective (the graph's loss plus {@code l2 * sum W^2} over its
     * weight matrices) with respect to the named variables, for one feed.
     */
    static Map<String, INDArray> gradients(ModelGraph g, Map<String, INDArray> feed,
            java.util.Collection<String> names, double l2) {
        Map<String, INDArray> grads = new HashMap<>(g.sameDiff().calculateGradients(feed, names));
        for (String name : names) {
            // a variable the loss does not reach (a one-step GRU's reset gate and recurrent
            // weights) has no gradient in SameDiff: its gradient is 0
            grads.computeIfAbsent(name, k -> Nd4j.zerosLike(g.sameDiff().getArrForVarName(k)));
        }
        if (l2 > 0) {
            for (String w : g.weightMatrixNames()) {
                INDArray grad = grads.get(w);
                if (grad != null) {
                    INDArray weights = g.sameDiff().getArrForVarName(w);
                    Nd4j.getBlasWrapper().level1().axpy(grad.length(), 2 * l2, weights, grad);
                }
            }
        }
        return grads;
    }

    /** The training objective for one feed: the graph's loss plus {@code l2 * sum W^2}. */
    static double objective(ModelGraph g, Map<String, INDArray> feed, double l2) {
        String name = g.loss().name();
        double loss = g.sameDiff().output(feed, name).get(name).getDouble(0);
        for (String w : g.weightMatrixNames()) {
            INDArray a = g.sameDiff().getArrForVarName(w);
            loss += l2 * a.mul(a).sumNumber().doubleValue();
        }
        return loss;
    }

    /** The weighted task loss over a whole set, in chunks; weights normalised over the set. */
    static double evaluate(ModelGraph g, TrainingSet set) {
        double total = weightSum(set, 0, set.rows());
        if (!(total > 0)) {
            return 0;
        }
        double loss = 0;
        Batch buf = new Batch(Math.min(EVAL_CHUNK, set.rows()), set.width(),
                g.architecture().outputs(), g.task());
        for (int from = 0; from < set.rows(); from += EVAL_CHUNK) {
            int to = Math.min(set.rows(), from + EVAL_CHUNK);
            int[] rows = new int[to - from];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = from + i;
            }
            Map<String, INDArray> feed = buf.fill(set, rows, g.dataType(), total);
            INDArray part = g.sameDiff().output(feed, ModelGraph.TASK_LOSS).get(ModelGraph.TASK_LOSS);
            loss += part.getDouble(0);
        }
        return loss;
    }

    private static double weightSum(TrainingSet set, int from, int to) {
        float[] w = set.weights();
        if (w == null) {
            return to - from;
        }
        double s = 0;
        for (int i = from; i < to; i++) {
            s += w[i];
        }
        return s;
    }

    /**
     * ND4J's forward pass of an artifact on {@code rows} standardised input rows ({@code rows x
     * inputs * steps}, row-major): class probabilities, or the regression target in the input's
     * units, {@code rows x outputs} row-major. For parity checks of the plain-Java {@link
     * io.driftguard.operators.model.Predictor}; builds a graph per call.
     */
    public static float[] forward(ModelArtifact m, float[] x, int rows) {
        Architecture arch = m.architecture();
        int width = arch.inputs() * arch.steps();
        if ((long) rows * width != x.length) {
            throw new IllegalArgumentException(rows + " rows of width " + width + " need "
                    + (long) rows * width + " values, got " + x.length);
        }
        Nd4jRuntime.pinCurrentThread();
        ModelGraph g = ModelGraph.build(arch, m.task(), DataType.FLOAT, null);
        g.setWeights(m.weights());
        INDArray in = Nd4j.create(x, new long[] {rows, width}, 'c');
        INDArray out = g.sameDiff().output(Map.of(ModelGraph.INPUT, in), ModelGraph.OUTPUT)
                .get(ModelGraph.OUTPUT);
        float[] v = ModelGraph.toFloats(out);
        if (m.task() == Task.REGRESSION) {
            double sd = m.schema().targetStd();
            double mean = m.schema().targetMean();
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] * sd + mean);
            }
        }
        return v;
    }

    private static void checkFit(Architecture arch, Task task, float[][] init, TrainingSet train,
            TrainingSet validation, TrainConfig config, int frozenTensors) {
        Objects.requireNonNull(config, "config");
        check(arch, task, train, "training");
        check(arch, task, validation, "validation");
        List<int[]> shapes = arch.parameterShapes();
        if (init.length != shapes.size()) {
            throw new IllegalArgumentException(
                    arch + " has " + shapes.size() + " parameter tensors, got " + init.length);
        }
        for (int t = 0; t < shapes.size(); t++) {
            if (init[t].length != shapes.get(t)[0] * shapes.get(t)[1]) {
                throw new IllegalArgumentException("parameter tensor " + t + " must hold " + shapes.get(t)[0] + "x"
                        + shapes.get(t)[1] + " values, got " + init[t].length);
            }
        }
        int tensors = shapes.size();
        if (frozenTensors < 0 || frozenTensors >= tensors) {
            throw new IllegalArgumentException(
                    "frozen tensors must be in 0.." + (tensors - 1) + ", got " + frozenTensors);
        }
        if (train.rows() == 0) {
            throw new IllegalArgumentException("no training rows");
        }
    }

    private static void check(Architecture arch, Task task, TrainingSet set, String what) {
        Objects.requireNonNull(set, what);
        int width = arch.inputs() * arch.steps();
        if (set.rows() > 0 && set.width() != width) {
            throw new IllegalArgumentException(
                    what + " rows have width " + set.width() + ", " + arch + " reads " + width);
        }
        float[] w = set.weights();
        for (int i = 0; i < set.rows(); i++) {
            float y = set.y()[i];
            if (task == Task.CLASSIFICATION && (y != Math.rint(y) || y < 0 || y >= arch.outputs())) {
                throw new IllegalArgumentException(what + " row " + i + " has label " + y
                        + ", not a class index below " + arch.outputs());
            }
            if (!Float.isFinite(y) || w != null && !(w[i] >= 0 && Float.isFinite(w[i]))) {
                throw new IllegalArgumentException(what + " row " + i + " has target " + y
                        + " and weight " + (w == null ? 1 : w[i]));
            }
        }
    }


    /** Reusable host buffers for one minibatch's placeholders. */
    static final class Batch {
        private final float[] x;
        private final float[] y;
        private final float[] w;
        private final int width;
        private final int outputs;
        private final Task task;

        Batch(int rows, int width, int outputs, Task task) {
            this.x = new float[rows * width];
            this.y = new float[rows * outputs];
            this.w = new float[rows];
            this.width = width;
            this.outputs = outputs;
            this.task = task;
        }

        Map<String, INDArray> fill(TrainingSet set, int[] rows, DataType type) {
            double sum = 0;
            float[] sw = set.weights();
            for (int r : rows) {
                sum += sw == null ? 1 : sw[r];
            }
            return fill(set, rows, type, sum);
        }

        /** Gathers the rows; their weights are divided by {@code weightTotal}. */
        Map<String, INDArray> fill(TrainingSet set, int[] rows, DataType type, double weightTotal) {
            int n = rows.length;
            float[] sw = set.weights();
            java.util.Arrays.fill(y, 0, n * outputs, 0f);
            for (int i = 0; i < n; i++) {
                int r = rows[i];
                System.arraycopy(set.x(), r * width, x, i * width, width);
                double wi = sw == null ? 1 : sw[r];
                w[i] = weightTotal > 0 ? (float) (wi / weightTotal) : 0f;
                if (task == Task.CLASSIFICATION) {
                    y[i * outputs + (int) set.y()[r]] = w[i]; // one-hot times the row weight
                } else {
                    y[i] = set.y()[r];
                }
            }
            Map<String, INDArray> feed = new HashMap<>();
            feed.put(ModelGraph.INPUT, array(x, n, width, type));
            feed.put(ModelGraph.LABELS, array(y, n, outputs, type));
            if (task == Task.REGRESSION) {
                feed.put(ModelGraph.ROW_WEIGHTS, array(w, n, 1, type));
            }
            return feed;
        }

        private static INDArray array(float[] v, int rows, int cols, DataType type) {
            float[] data = v.length == rows * cols ? v : java.util.Arrays.copyOf(v, rows * cols);
            return Nd4j.create(data, new long[] {rows, cols}, 'c').castTo(type);
        }
    }
}
