package io.driftguard.operators.model.train;

import io.driftguard.operators.model.Architecture;
import io.driftguard.operators.model.ModelKind;
import io.driftguard.operators.model.Regularization;
import io.driftguard.operators.model.Task;
import io.driftguard.operators.model.TrainConfig;
import io.driftguard.operators.model.TrainOutcome;
import io.driftguard.operators.model.TrainingSet;
import io.driftguard.operators.sketch.SplitMix64;
import java.util.List;
import javax.annotation.Nullable;

/**
 * Trains the feed-forward kinds ({@code LINEAR}, {@code MLP}) with hand-written gradients in plain
 * Java: the objective, optimiser, minibatch order and early stopping of {@link Nd4jTrainer}, and
 * the {@link Regularization} terms of {@link DomainTerms} (same formulas, same seeded minibatch
 * draws, the adversarial classifier initialised alike).
 *
 * <p>Why not SameDiff for these: SameDiff interprets its graph op by op, and its Java bookkeeping
 * per op (session maps, dependency tracking) costs more than the arithmetic of a whole minibatch
 * step of a small feed-forward model (the default, 8 inputs and 32 hidden units, is about 10^5
 * multiply-adds forward), so there the number of ops, not the model, decides the cost; here a step costs
 * its arithmetic. The GRU (and AdaRNN) keep SameDiff.
 *
 * <p>Arithmetic is in double precision (weights come in and go out as floats); summation order
 * differs from libnd4j's, so weights agree with the SameDiff path to rounding, not bit for bit
 * ({@code DenseTrainerTest} compares gradients with SameDiff's and with finite differences).
 * Deterministic: no threads, and the batch order and the terms' draws are seeded.
 *
 * <p>Gradients, for a minibatch of {@code n} rows with normalised weights {@code w_i}, logits
 * {@code z_i}: classification {@code dL/dz_i = w_i (softmax(z_i) - onehot(y_i))}, regression
 * {@code 2 w_i (z_i - y_i)}; each layer {@code Z = A W + b} passes back {@code dW = A^T dZ},
 * {@code db = sum_i dZ_i}, {@code dA = dZ W^T}, and ReLU masks {@code dZ} where its output is 0.
 * MEDA's term {@code lambda sum_ij G_ij K_ij}, {@code K_ij = exp(-gamma ||h_i - h_j||^2)} over the
 * stacked source and target minibatch, {@code G = (1 - mu) v_0 v_0^T + mu sum_c v_c v_c^T} with
 * {@code v_0 = [1/n_s; -1/n_t]} and {@code v_c} the same within class c (classes on both sides),
 * passes {@code dL/dh_i = -4 gamma lambda sum_j M_ij (h_i - h_j)}, {@code M = G o K}. The
 * adversarial term's classifier gets the gradient of its logistic loss, the model {@code -lambda}
 * times it (gradient reversal), lambda ramped over the epochs as {@link DomainTerms#adversarialRamp}.
 */
final class DenseTrainer {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;
    /** Rows per forward pass when evaluating a loss over a whole set. */
    private static final int EVAL_CHUNK = 1024;

    private DenseTrainer() {}

    /** Whether this trainer fits the architecture with the given term (null: none). */
    static boolean handles(Architecture arch, @Nullable Regularization reg) {
        return arch.kind() == ModelKind.MLP || arch.kind() == ModelKind.LINEAR && reg == null;
    }

    /** Fits as {@link Nd4jTrainer#fit} documents; the caller has checked the inputs. */
    static TrainOutcome fit(Architecture arch, Task task, float[][] init, TrainingSet train,
            TrainingSet validation, TrainConfig config, @Nullable Regularization reg, int frozenTensors) {
        long start = System.nanoTime();
        Net net = new Net(arch, task, init);
        Term term = reg == null ? null
                : reg.kind() == Regularization.Kind.MEDA ? new Meda(reg, net) : new Adversarial(reg, net);
        double[][] params = term == null ? net.p : concat(net.p, term.params());
        boolean[] frozen = new boolean[params.length];
        for (int t = 0; t < frozenTensors; t++) {
            frozen[t] = true;
        }
        double[][] grads = new double[params.length][];
        double[][] m = new double[params.length][];
        double[][] v = new double[params.length][];
        for (int t = 0; t < params.length; t++) {
            grads[t] = new double[params[t].length];
            m[t] = new double[params[t].length];
            v[t] = new double[params[t].length];
        }

        TrainingSet checkSet = validation.rows() > 0 ? validation : train;
        EarlyStopping stop = new EarlyStopping(net.evaluate(checkSet), net.weights(), config.patience());
        int iteration = 0;
        int n = train.rows();
        int batch = Math.min(config.batchSize(), n);
        int[] order = EarlyStopping.identity(n);
        SplitMix64 rnd = new SplitMix64(config.seed());
        Pass pass = net.pass(batch);
        double lr = config.learningRate();
        for (int epoch = 0; epoch < config.maxEpochs(); epoch++) {
            EarlyStopping.shuffle(order, rnd);
            if (term != null) {
                term.startEpoch(epoch, config.maxEpochs());
            }
            int step = 0;
            for (int from = 0; from < n; from += batch, step++) {
                int rows = Math.min(n, from + batch) - from;
                gradients(net, term, pass, train, order, from, rows, epoch, step, config.l2(), grads);
                // Adam as libnd4j's adam_updater: bias correction folded into the step size
                double b1t = Math.pow(BETA1, iteration + 1);
                double b2t = Math.pow(BETA2, iteration + 1);
                double stepSize = lr * Math.sqrt(1 - b2t) / (1 - b1t);
                for (int t = 0; t < params.length; t++) {
                    if (frozen[t]) {
                        continue;
                    }
                    double[] w = params[t];
                    double[] g = grads[t];
                    double[] mt = m[t];
                    double[] vt = v[t];
                    for (int i = 0; i < w.length; i++) {
                        mt[i] = BETA1 * mt[i] + (1 - BETA1) * g[i];
                        vt[i] = BETA2 * vt[i] + (1 - BETA2) * g[i] * g[i];
                        w[i] -= stepSize * mt[i] / (Math.sqrt(vt[i]) + EPSILON);
                    }
                }
                iteration++;
            }
            if (!stop.afterEpoch(net.evaluate(checkSet), net::weights)) {
                break;
            }
        }
        return new TrainOutcome(stop.bestWeights(), stop.epochs(), stop.bestLoss(),
                (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * The gradients of one minibatch step's objective into {@code grads} (the model's tensors, then
     * the term's): the task loss on rows {@code order[from..from+rows)}, the term on its draws for
     * {@code (epoch, step)}, and {@code l2 * sum W^2} over the model's weight matrices.
     */
    private static void gradients(Net net, @Nullable Term term, Pass pass, TrainingSet train, @Nullable int[] order,
            int from, int rows, int epoch, int step, double l2, double[][] grads) {
        for (double[] g : grads) {
            java.util.Arrays.fill(g, 0);
        }
        pass.load(train, order, from, rows);
        net.forward(pass, net.layers());
        net.taskGradient(pass, train, order, from);
        net.backward(pass, net.layers(), grads);
        if (term != null) {
            term.addGradients(epoch, step, grads);
        }
        if (l2 > 0) {
            for (int l = 0; l < net.layers(); l++) {
                double[] w = net.p[2 * l];
                double[] g = grads[2 * l];
                for (int i = 0; i < w.length; i++) {
                    g[i] += 2 * l2 * w[i];
                }
            }
        }
    }

    /**
     * The gradients of the objective of one minibatch (all rows of {@code batch}, in order) at
     * {@code weights}, with the term's minibatches of {@code (epoch, step)} and the term's own
     * tensors at their initial values: the model's tensors, then the term's. For parity checks.
     */
    static double[][] gradients(Architecture arch, Task task, float[][] weights, TrainingSet batch,
            @Nullable Regularization reg, int epoch, int step, double l2) {
        Net net = new Net(arch, task, weights);
        Term term = reg == null ? null
                : reg.kind() == Regularization.Kind.MEDA ? new Meda(reg, net) : new Adversarial(reg, net);
        double[][] params = term == null ? net.p : concat(net.p, term.params());
        double[][] grads = new double[params.length][];
        for (int t = 0; t < params.length; t++) {
            grads[t] = new double[params[t].length];
        }
        gradients(net, term, net.pass(batch.rows()), batch, null, 0, batch.rows(), epoch, step, l2, grads);
        return grads;
    }

    private static double[][] concat(double[][] a, double[][] b) {
        double[][] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }


    /** Activations and their gradients for one batch; reused across steps. */
    static final class Pass {
        /** Per layer boundary l (0: input, last: logits): {@code rows x width[l]}. */
        final double[][] a;
        final double[][] d;
        /** Normalised row weights of the batch. */
        final double[] w;
        int rows;

        Pass(int[] widths, int capacity) {
            a = new double[widths.length][];
            d = new double[widths.length][];
            for (int l = 0; l < widths.length; l++) {
                a[l] = new double[capacity * widths[l]];
                d[l] = new double[capacity * widths[l]];
            }
            w = new double[capacity];
        }

        /** Gathers rows {@code order[from..from+n)} of {@code set} as the input. */
        void load(TrainingSet set, int[] order, int from, int n) {
            int width = set.width();
            float[] x = set.x();
            for (int i = 0; i < n; i++) {
                int r = order == null ? from + i : order[from + i];
                for (int j = 0; j < width; j++) {
                    a[0][i * width + j] = x[r * width + j];
                }
            }
            rows = n;
        }

        /** Copies {@code n} rows of width {@code width} from {@code data} at {@code idx} after row {@code at}. */
        void loadRows(float[] data, int width, int[] idx, int at) {
            for (int i = 0; i < idx.length; i++) {
                for (int j = 0; j < width; j++) {
                    a[0][(at + i) * width + j] = data[idx[i] * width + j];
                }
            }
        }
    }

    /** The model: its parameters in {@link Architecture#parameterShapes()} order, in double. */
    static final class Net {
        final Architecture arch;
        final Task task;
        /** Layer widths: inputs, hidden sizes, outputs. */
        final int[] widths;
        final double[][] p;
        /** Transposed weight matrices, refreshed before each backward pass. */
        private final double[][] wt;

        Net(Architecture arch, Task task, float[][] init) {
            this.arch = arch;
            this.task = task;
            int[] hidden = arch.kind() == ModelKind.LINEAR ? new int[0] : arch.hidden();
            widths = new int[hidden.length + 2];
            widths[0] = arch.inputs() * arch.steps();
            System.arraycopy(hidden, 0, widths, 1, hidden.length);
            widths[widths.length - 1] = arch.outputs();
            List<int[]> shapes = arch.parameterShapes();
            p = new double[shapes.size()][];
            for (int t = 0; t < p.length; t++) {
                p[t] = new double[init[t].length];
                for (int i = 0; i < p[t].length; i++) {
                    p[t][i] = init[t][i];
                }
            }
            wt = new double[layers()][];
            for (int l = 0; l < layers(); l++) {
                wt[l] = new double[p[2 * l].length];
            }
        }

        /** Number of weight layers (hidden layers plus the output layer). */
        int layers() {
            return widths.length - 1;
        }

        /** The last hidden layer's width. */
        int hiddenWidth() {
            return widths[widths.length - 2];
        }

        Pass pass(int capacity) {
            return new Pass(widths, capacity);
        }

        float[][] weights() {
            float[][] out = new float[p.length][];
            for (int t = 0; t < p.length; t++) {
                out[t] = new float[p[t].length];
                for (int i = 0; i < p[t].length; i++) {
                    out[t][i] = (float) p[t][i];
                }
            }
            return out;
        }

        /** Runs the first {@code upTo} layers on the pass's input (ReLU after each hidden layer). */
        void forward(Pass pass, int upTo) {
            int n = pass.rows;
            for (int l = 0; l < upTo; l++) {
                int in = widths[l];
                int out = widths[l + 1];
                double[] a = pass.a[l];
                double[] z = pass.a[l + 1];
                double[] w = p[2 * l];
                double[] b = p[2 * l + 1];
                boolean relu = l < layers() - 1;
                for (int i = 0; i < n; i++) {
                    int zi = i * out;
                    System.arraycopy(b, 0, z, zi, out);
                    for (int k = 0; k < in; k++) {
                        double av = a[i * in + k];
                        if (av == 0) {
                            continue;
                        }
                        int wk = k * out;
                        for (int j = 0; j < out; j++) {
                            z[zi + j] += av * w[wk + j];
                        }
                    }
                    if (relu) {
                        for (int j = 0; j < out; j++) {
                            if (z[zi + j] < 0) {
                                z[zi + j] = 0;
                            }
                        }
                    }
                }
            }
        }

        /**
         * Sets the gradient of the batch's weighted task loss with respect to the logits, and
         * returns the loss; row weights normalised over the batch ({@code order} null: rows in
         * order from {@code from}).
         */
        double taskGradient(Pass pass, TrainingSet set, @Nullable int[] order, int from) {
            float[] sw = set.weights();
            double total = 0;
            for (int i = 0; i < pass.rows; i++) {
                int r = order == null ? from + i : order[from + i];
                pass.w[i] = sw == null ? 1 : sw[r];
                total += pass.w[i];
            }
            for (int i = 0; i < pass.rows; i++) {
                pass.w[i] = total > 0 ? pass.w[i] / total : 0;
            }
            return lossGradient(pass, set, order, from);
        }

        private double lossGradient(Pass pass, TrainingSet set, @Nullable int[] order, int from) {
            int top = layers();
            int c = widths[top];
            double[] z = pass.a[top];
            double[] dz = pass.d[top];
            double loss = 0;
            for (int i = 0; i < pass.rows; i++) {
                int r = order == null ? from + i : order[from + i];
                double wi = pass.w[i];
                float y = set.y()[r];
                if (task == Task.CLASSIFICATION) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < c; j++) {
                        max = Math.max(max, z[i * c + j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < c; j++) {
                        dz[i * c + j] = Math.exp(z[i * c + j] - max);
                        sum += dz[i * c + j];
                    }
                    int yi = (int) y;
                    loss += wi * (Math.log(sum) + max - z[i * c + yi]);
                    for (int j = 0; j < c; j++) {
                        dz[i * c + j] = wi * (dz[i * c + j] / sum - (j == yi ? 1 : 0));
                    }
                } else {
                    double e = z[i] - y;
                    loss += wi * e * e;
                    dz[i] = 2 * wi * e;
                }
            }
            return loss;
        }

        /**
         * Backpropagates {@code pass.d[from]} (the gradient at the output of layer {@code from -
         * 1}) down to the input, adding weight and bias gradients into {@code grads}.
         */
        void backward(Pass pass, int from, double[][] grads) {
            int n = pass.rows;
            for (int l = from - 1; l >= 0; l--) {
                int in = widths[l];
                int out = widths[l + 1];
                double[] a = pass.a[l];
                double[] dz = pass.d[l + 1];
                if (l < layers() - 1) {
                    // ReLU: no gradient where the unit's output is 0
                    double[] h = pass.a[l + 1];
                    for (int i = 0; i < n * out; i++) {
                        if (h[i] <= 0) {
                            dz[i] = 0;
                        }
                    }
                }
                double[] gw = grads[2 * l];
                double[] gb = grads[2 * l + 1];
                for (int i = 0; i < n; i++) {
                    int zi = i * out;
                    for (int j = 0; j < out; j++) {
                        gb[j] += dz[zi + j];
                    }
                    for (int k = 0; k < in; k++) {
                        double av = a[i * in + k];
                        if (av == 0) {
                            continue;
                        }
                        int wk = k * out;
                        for (int j = 0; j < out; j++) {
                            gw[wk + j] += av * dz[zi + j];
                        }
                    }
                }
                if (l == 0) {
                    break;
                }
                // dA = dZ W^T, through W^T [out x in] so that the inner loop runs over contiguous rows
                double[] w = p[2 * l];
                double[] t = wt[l];
                for (int k = 0; k < in; k++) {
                    for (int j = 0; j < out; j++) {
                        t[j * in + k] = w[k * out + j];
                    }
                }
                double[] da = pass.d[l];
                java.util.Arrays.fill(da, 0, n * in, 0);
                for (int i = 0; i < n; i++) {
                    int ai = i * in;
                    for (int j = 0; j < out; j++) {
                        double g = dz[i * out + j];
                        if (g == 0) {
                            continue;
                        }
                        int tj = j * in;
                        for (int k = 0; k < in; k++) {
                            da[ai + k] += g * t[tj + k];
                        }
                    }
                }
            }
        }

        /** The weighted task loss over a whole set, weights normalised over the set. */
        double evaluate(TrainingSet set) {
            float[] sw = set.weights();
            double total = 0;
            for (int i = 0; i < set.rows(); i++) {
                total += sw == null ? 1 : sw[i];
            }
            if (!(total > 0)) {
                return 0;
            }
            Pass pass = pass(Math.min(EVAL_CHUNK, set.rows()));
            double loss = 0;
            for (int from = 0; from < set.rows(); from += EVAL_CHUNK) {
                int rows = Math.min(set.rows(), from + EVAL_CHUNK) - from;
                pass.load(set, null, from, rows);
                forward(pass, layers());
                for (int i = 0; i < rows; i++) {
                    pass.w[i] = (sw == null ? 1 : sw[from + i]) / total;
                }
                loss += lossGradient(pass, set, null, from);
            }
            return loss;
        }
    }

    /** A distribution term on the last hidden layer of a source and a target minibatch. */
    private abstract static class Term {
        final Regularization r;
        final Net net;
        final int width;
        final int bs;
        final int bt;
        final Pass pass;
        final int hw;

        Term(Regularization r, Net net) {
            this.r = r;
            this.net = net;
            this.width = r.source().length / r.sourceRows();
            this.bs = Math.min(DomainTerms.BATCH, r.sourceRows());
            this.bt = Math.min(DomainTerms.BATCH, r.targetRows());
            this.pass = net.pass(bs + bt);
            this.hw = net.hiddenWidth();
        }

        /** As {@link LossTerm#startEpoch}. */
        void startEpoch(int epoch, int maxEpochs) {}

        /** The term's own trainable tensors (none by default). */
        double[][] params() {
            return new double[0][];
        }

        /**
         * Adds the term's gradients for minibatch {@code step} of {@code epoch}: the model's (first
         * tensors of {@code grads}) and the term's own (after them).
         */
        final void addGradients(int epoch, int step, double[][] grads) {
            // the draws of DomainTerms.Batches: source rows, then target rows
            SplitMix64 rnd = new SplitMix64(SplitMix64.derive(r.seed(), 1_000_003L * epoch + step));
            int[] is = draw(rnd, r.sourceRows(), bs);
            int[] it = draw(rnd, r.targetRows(), bt);
            pass.rows = bs + bt;
            pass.loadRows(r.source(), width, is, 0);
            pass.loadRows(r.target(), width, it, bs);
            int top = net.layers() - 1; // the last hidden layer's boundary
            net.forward(pass, top);
            hiddenGradient(is, it, pass.a[top], pass.d[top], grads);
            net.backward(pass, top, grads);
        }

        /** Writes {@code dTerm/dh} of the stacked hidden rows {@code h} into {@code dh}. */
        abstract void hiddenGradient(int[] is, int[] it, double[] h, double[] dh, double[][] grads);

        private static int[] draw(SplitMix64 rnd, int n, int k) {
            int[] idx = new int[k];
            for (int i = 0; i < k; i++) {
                idx[i] = rnd.nextInt(n);
            }
            return idx;
        }
    }

    /** MEDA's marginal and class-conditional Gaussian-kernel MMD^2, as {@link DomainTerms.Meda}. */
    private static final class Meda extends Term {
        private final int classes;
        private final double gamma;
        private final double[] k;
        private final double[] g;
        private final double[] ht;
        private final double[] v0;
        private final double[] vc;
        private final int[] cls;

        Meda(Regularization r, Net net) {
            super(r, net);
            this.classes = Math.max(1, r.classes());
            this.gamma = 1.0 / (2.0 * Math.max(1, hw));
            int m = bs + bt;
            this.k = new double[m * m];
            this.g = new double[m * m];
            this.ht = new double[hw * m];
            this.v0 = new double[m];
            this.vc = new double[m];
            this.cls = new int[m];
        }

        @Override
        void hiddenGradient(int[] is, int[] it, double[] h, double[] dh, double[][] grads) {
            int m = bs + bt;
            int[] ns = new int[classes];
            int[] nt = new int[classes];
            for (int i = 0; i < m; i++) {
                int c = i < bs ? r.sourceClass()[is[i]] : r.targetClass()[it[i - bs]];
                cls[i] = c >= 0 && c < classes ? c : -1;
                if (cls[i] >= 0) {
                    (i < bs ? ns : nt)[cls[i]]++;
                }
            }
            double mu = r.mu();
            for (int i = 0; i < m; i++) {
                boolean s = i < bs;
                v0[i] = s ? 1.0 / bs : -1.0 / bt;
                int c = cls[i];
                // a class counts where both minibatches hold it
                vc[i] = c < 0 || ns[c] == 0 || nt[c] == 0 ? 0 : s ? 1.0 / ns[c] : -1.0 / nt[c];
            }
            // K_ij = exp(-gamma ||h_i - h_j||^2), through H H^T with H^T [hw x m]
            for (int i = 0; i < m; i++) {
                for (int q = 0; q < hw; q++) {
                    ht[q * m + i] = h[i * hw + q];
                }
            }
            java.util.Arrays.fill(k, 0);
            for (int i = 0; i < m; i++) {
                int ki = i * m;
                for (int q = 0; q < hw; q++) {
                    double hv = h[i * hw + q];
                    if (hv == 0) {
                        continue;
                    }
                    int tq = q * m;
                    for (int j = 0; j < m; j++) {
                        k[ki + j] += hv * ht[tq + j];
                    }
                }
            }
            double lambda = r.lambda();
            for (int i = 0; i < m; i++) {
                double sqi = k[i * m + i];
                for (int j = i; j < m; j++) {
                    g[i * m + j] = sqi + k[j * m + j] - 2 * k[i * m + j]; // the squared distance, for now
                }
            }
            // M = G o K, the weight of pair (i, j) in the gradient; symmetric, so half the exps
            for (int i = 0; i < m; i++) {
                for (int j = i; j < m; j++) {
                    double kij = Math.exp(-gamma * g[i * m + j]);
                    double gij = (1 - mu) * v0[i] * v0[j]
                            + (cls[i] >= 0 && cls[i] == cls[j] ? mu * vc[i] * vc[j] : 0);
                    g[i * m + j] = gij * kij;
                    g[j * m + i] = gij * kij;
                }
            }
            // dL/dh_i = -4 gamma lambda (rowsum(M)_i h_i - (M H)_i)
            double scale = -4 * gamma * lambda;
            for (int i = 0; i < m; i++) {
                double rowSum = 0;
                int di = i * hw;
                for (int q = 0; q < hw; q++) {
                    dh[di + q] = 0;
                }
                for (int j = 0; j < m; j++) {
                    double mij = g[i * m + j];
                    if (mij == 0) {
                        continue;
                    }
                    rowSum += mij;
                    int hj = j * hw;
                    for (int q = 0; q < hw; q++) {
                        dh[di + q] -= mij * h[hj + q];
                    }
                }
                for (int q = 0; q < hw; q++) {
                    dh[di + q] = scale * (dh[di + q] + rowSum * h[di + q]);
                }
            }
        }
    }

    /**
     * The domain classifier behind gradient reversal, as {@link DomainTerms.Adversarial}: one ReLU
     * layer of {@link DomainTerms#DOMAIN_HIDDEN} units and a logistic output (target 1), its
     * weights drawn as there.
     */
    private static final class Adversarial extends Term {
        private final int units = DomainTerms.DOMAIN_HIDDEN;
        private final double[] w1;
        private final double[] b1;
        private final double[] w2;
        private final double[] b2 = new double[1];
        private final double[] z1;
        private double lambda;

        Adversarial(Regularization r, Net net) {
            super(r, net);
            this.lambda = r.lambda();
            SplitMix64 rnd = new SplitMix64(r.seed() ^ 0x5DEECE66DL);
            this.w1 = init(rnd, hw, units);
            this.b1 = new double[units];
            this.w2 = init(rnd, units, 1);
            this.z1 = new double[(bs + bt) * units];
        }

        private static double[] init(SplitMix64 rnd, int in, int out) {
            double limit = Math.sqrt(6.0 / (in + out));
            double[] v = new double[in * out];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((2 * rnd.nextDouble() - 1) * limit);
            }
            return v;
        }

        @Override
        void startEpoch(int epoch, int maxEpochs) {
            lambda = r.lambda() * DomainTerms.adversarialRamp(epoch, maxEpochs);
        }

        @Override
        double[][] params() {
            return new double[][] {w1, b1, w2, b2};
        }

        @Override
        void hiddenGradient(int[] is, int[] it, double[] h, double[] dh, double[][] grads) {
            int m = bs + bt;
            int base = grads.length - 4;
            double[] gw1 = grads[base];
            double[] gb1 = grads[base + 1];
            double[] gw2 = grads[base + 2];
            double[] gb2 = grads[base + 3];
            double reverse = -lambda;
            for (int i = 0; i < m; i++) {
                int zi = i * units;
                double z = b2[0];
                for (int u = 0; u < units; u++) {
                    double s = b1[u];
                    for (int q = 0; q < hw; q++) {
                        s += h[i * hw + q] * w1[q * units + u];
                    }
                    z1[zi + u] = s;
                    if (s > 0) {
                        z += s * w2[u];
                    }
                }
                // mean logistic loss, domain label 0 for source rows and 1 for target rows
                double y = i < bs ? 0 : 1;
                double dz = (1 / (1 + Math.exp(-z)) - y) / m;
                gb2[0] += dz;
                for (int q = 0; q < hw; q++) {
                    dh[i * hw + q] = 0;
                }
                for (int u = 0; u < units; u++) {
                    double s = z1[zi + u];
                    if (s <= 0) {
                        continue;
                    }
                    gw2[u] += s * dz;
                    double du = dz * w2[u];
                    gb1[u] += du;
                    for (int q = 0; q < hw; q++) {
                        gw1[q * units + u] += h[i * hw + q] * du;
                        dh[i * hw + q] += reverse * du * w1[q * units + u];
                    }
                }
            }
        }
    }
}
