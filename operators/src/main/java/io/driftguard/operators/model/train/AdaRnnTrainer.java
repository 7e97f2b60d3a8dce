package io.driftguard.operators.model.train;

import io.driftguard.operators.model.Architecture;
import io.driftguard.operators.model.Task;
import io.driftguard.operators.model.TrainConfig;
import io.driftguard.operators.model.TrainOutcome;
import io.driftguard.operators.model.TrainingSet;
import io.driftguard.operators.model.adarnn.AdaRnnConfig;
import io.driftguard.operators.model.adarnn.AdaRnnResult;
import io.driftguard.operators.sketch.SplitMix64;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * AdaRNN's temporal distribution matching (Du et al. 2021) for a GRU, given the periods TDC found.
 *
 * <p>Each step takes one minibatch of {@code B} rows from every period and minimises
 *
 * <pre>
 *   sum_{i &lt; j} [ MSE_i + MSE_j + lambda * sum_{l,t} alpha[l][t] * ||mean h_i^{l,t} - mean h_j^{l,t}||^2 ]
 * </pre>
 *
 * (squared error for regression, cross-entropy for classification; {@link AdaRnnLoss}) plus the
 * L2 penalty, with Adam and gradients clipped to {@code +-gradientClip}. During the first {@code
 * pretrainEpochs} epochs alpha is uniform, {@code 1/steps} per layer (the paper learns it with a
 * gate network there instead). Afterwards alpha is boosted once per epoch: with {@code D_e[l][t]}
 * the distance summed over the epoch's minibatches and pairs, from the second boosting epoch on,
 * every {@code alpha[l][t]} whose distance grew ({@code D_e > D_(e-1) + 1e-12}) is multiplied by
 * {@code 1 + sigmoid(D_e - D_(e-1))} and each layer's row is renormalised to sum 1 (the public
 * code's {@code update_weight_Boosting}). Early stopping watches the task loss on the validation
 * rows as in {@link Nd4jTrainer}, the initial weights counting as epoch 0.
 *
 * <p>An epoch has as many steps as the largest period has full batches: the largest period's rows
 * are visited once, in a seeded order, and each smaller period's rows run through seeded orders
 * that are redrawn each time one is used up. (The public code zips the periods' loaders, so its
 * epoch ends with the smallest period; with unequal periods that gives an epoch a fraction of the
 * updates of a plain GRU's epoch, and the comparison at equal epochs would starve AdaRNN.)
 *
 * <p>Row weights of the training sets are not used. Deterministic: the batch orders come from
 * {@link SplitMix64} with the configuration's seed and ND4J runs on the pinned threads.
 */
public final class AdaRnnTrainer {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final DataType dataType;

    /** A trainer in single precision. */
    public AdaRnnTrainer() {
        this(DataType.FLOAT);
    }

    AdaRnnTrainer(DataType dataType) {
        this.dataType = dataType;
        Nd4jRuntime.ensureReady();
    }

    /**
     * Trains from {@code init} on the periods (time-ordered slices of the history, at least two).
     *
     * @param validation held-out rows for early stopping; with 0 rows the periods' rows are used
     * @return the best epoch's weights, the period boundaries within the concatenated periods, and
     *     the final alpha
     */
    public synchronized AdaRnnResult fit(Architecture arch, Task task, float[][] init,
            List<TrainingSet> periods, TrainingSet validation, TrainConfig cfg, AdaRnnConfig ac) {
        long start = System.nanoTime();
        Nd4jRuntime.pinCurrentThread();
        Objects.requireNonNull(cfg, "cfg");
        Objects.requireNonNull(ac, "ac");
        int k = periods.size();
        int width = arch.inputs() * arch.steps();
        int smallest = Integer.MAX_VALUE;
        int[] bounds = new int[k + 1];
        for (int i = 0; i < k; i++) {
            TrainingSet p = periods.get(i);
            if (p.width() != width) {
                throw new IllegalArgumentException(
                        "period " + i + " has width " + p.width() + ", " + arch + " reads " + width);
            }
            smallest = Math.min(smallest, p.rows());
            bounds[i + 1] = bounds[i] + p.rows();
        }
        if (k < 2 || smallest < 1) {
            throw new IllegalArgumentException("needs 2 or more non-empty periods, got " + k);
        }
        int layers = arch.hidden().length;
        int steps = arch.steps();
        AdaRnnLoss term = new AdaRnnLoss(arch, k, ac.lambda());
        ModelGraph g = ModelGraph.build(arch, task, dataType, term);
        g.setWeights(init);
        SameDiff sd = g.sameDiff();
        Map<String, INDArray[]> adam = new LinkedHashMap<>(); // name -> {param, v, m}
        for (String name : g.trainableNames()) {
            INDArray p = sd.getArrForVarName(name);
            adam.put(name, new INDArray[] {p, Nd4j.zerosLike(p), Nd4j.zerosLike(p)});
        }
        List<String> distNames = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            distNames.add(AdaRnnLoss.distanceName(l));
        }

        TrainingSet checkSet = validation.rows() > 0 ? validation : concat(periods, width);
        EarlyStopping stop = new EarlyStopping(Nd4jTrainer.evaluate(g, checkSet), g.weights(), cfg.patience());
        int iteration = 0;
        int batch = Math.min(cfg.batchSize(), smallest);
        int largest = 0;
        for (TrainingSet p : periods) {
            largest = Math.max(largest, p.rows());
        }
        int stepsPerEpoch = largest / batch;
        int[][] order = new int[k][];
        int[] next = new int[k]; // position in each period's order
        for (int i = 0; i < k; i++) {
            order[i] = new int[periods.get(i).rows()];
            for (int r = 0; r < order[i].length; r++) {
                order[i][r] = r;
            }
            next[i] = order[i].length; // drawn afresh at the first use
        }
        double[][] alpha = new double[layers][steps];
        for (double[] row : alpha) {
            Arrays.fill(row, 1.0 / steps);
        }
        double[][] previous = null;
        int[] sizes = new int[k];
        Arrays.fill(sizes, batch);
        SplitMix64 rnd = new SplitMix64(cfg.seed());
        float rowWeight = (float) (k - 1) / batch;
        for (int epoch = 0; epoch < cfg.maxEpochs(); epoch++) {
            double[][] dist = new double[layers][steps];
            for (int s = 0; s < stepsPerEpoch; s++) {
                for (int i = 0; i < k; i++) {
                    // the largest periods restart each epoch, the others when used up
                    boolean restart = s == 0 && order[i].length == largest;
                    if (restart || next[i] + batch > order[i].length) {
                        EarlyStopping.shuffle(order[i], rnd);
                        next[i] = 0;
                    }
                }
                Map<String, INDArray> feed = gather(periods, order, next, batch, arch, task, rowWeight);
                for (int i = 0; i < k; i++) {
                    next[i] += batch;
                }
                term.prepare(sizes, alpha, dataType);
                feed.putAll(term.feed(epoch, s, null));
                OutAndGrad og = sd.calculateGradientsAndOutputs(feed, distNames, adam.keySet());
                for (int l = 0; l < layers; l++) {
                    INDArray d = og.getOutputs().get(distNames.get(l));
                    for (int t = 0; t < steps; t++) {
                        dist[l][t] += d.getDouble(t);
                    }
                }
                Map<String, INDArray> grads = new HashMap<>(og.getGradients());
                for (Map.Entry<String, INDArray[]> e : adam.entrySet()) {
                    INDArray[] st = e.getValue();
                    INDArray grad = grads.get(e.getKey());
                    if (grad == null) {
                        grad = Nd4j.zerosLike(st[0]);
                    }
                    if (cfg.l2() > 0 && g.weightMatrixNames().contains(e.getKey())) {
                        grad.addi(st[0].mul(2 * cfg.l2()));
                    }
                    if (ac.gradientClip() > 0) {
                        Transforms.min(Transforms.max(grad, -ac.gradientClip(), false),
                                ac.gradientClip(), false);
                    }
                    Nd4j.exec(new AdamUpdater(grad, st[1], st[2], cfg.learningRate(), BETA1, BETA2,
                            EPSILON, iteration));
                    st[0].subi(grad);
                }
                iteration++;
            }
            if (epoch > ac.pretrainEpochs() && previous != null) {
                boost(alpha, previous, dist);
            }
            previous = epoch >= ac.pretrainEpochs() ? dist : null;
            if (!stop.afterEpoch(Nd4jTrainer.evaluate(g, checkSet), g::weights)) {
                break;
            }
        }
        TrainOutcome outcome = new TrainOutcome(
                stop.bestWeights(), stop.epochs(), stop.bestLoss(), (System.nanoTime() - start) / 1_000_000);
        return new AdaRnnResult(outcome, bounds, alpha);
    }

    /**
     * The boosting of the step weights: where a layer-step's distance grew since the previous
     * epoch its weight is multiplied by {@code 1 + sigmoid(growth)}; each layer's weights are then
     * normalised to sum 1.
     */
    static void boost(double[][] alpha, double[][] previous, double[][] current) {
        for (int l = 0; l < alpha.length; l++) {
            double sum = 0;
            for (int t = 0; t < alpha[l].length; t++) {
                double growth = current[l][t] - previous[l][t];
                if (growth > 1e-12) {
                    alpha[l][t] *= 1 + 1 / (1 + Math.exp(-growth));
                }
                sum += alpha[l][t];
            }
            for (int t = 0; t < alpha[l].length; t++) {
                alpha[l][t] /= sum;
            }
        }
    }

    /** One minibatch: {@code batch} rows of each period from position {@code from[p]} of its order. */
    private Map<String, INDArray> gather(List<TrainingSet> periods, int[][] order, int[] from,
            int batch, Architecture arch, Task task, float rowWeight) {
        int k = periods.size();
        int width = arch.inputs() * arch.steps();
        int outputs = arch.outputs();
        int n = k * batch;
        float[] x = new float[n * width];
        float[] y = new float[n * outputs];
        float[] w = new float[n];
        int i = 0;
        for (int p = 0; p < k; p++) {
            TrainingSet set = periods.get(p);
            for (int b = 0; b < batch; b++, i++) {
                int r = order[p][from[p] + b];
                System.arraycopy(set.x(), r * width, x, i * width, width);
                w[i] = rowWeight;
                if (task == Task.CLASSIFICATION) {
                    y[i * outputs + (int) set.y()[r]] = rowWeight;
                } else {
                    y[i] = set.y()[r];
                }
            }
        }
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(ModelGraph.INPUT, Nd4j.create(x, new long[] {n, width}, 'c').castTo(dataType));
        feed.put(ModelGraph.LABELS, Nd4j.create(y, new long[] {n, outputs}, 'c').castTo(dataType));
        if (task == Task.REGRESSION) {
            feed.put(ModelGraph.ROW_WEIGHTS, Nd4j.create(w, new long[] {n, 1}, 'c').castTo(dataType));
        }
        return feed;
    }

    /** The periods' rows as one set, in order. */
    static TrainingSet concat(List<TrainingSet> periods, int width) {
        int rows = 0;
        for (TrainingSet p : periods) {
            rows += p.rows();
        }
        float[] x = new float[rows * width];
        float[] y = new float[rows];
        int at = 0;
        for (TrainingSet p : periods) {
            System.arraycopy(p.x(), 0, x, at * width, p.rows() * width);
            System.arraycopy(p.y(), 0, y, at, p.rows());
            at += p.rows();
        }
        return new TrainingSet(x, rows, width, y, null);
    }

}
