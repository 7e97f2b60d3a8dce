package io.driftguard.operators.model;

import java.util.List;

/**
 * Inference of a {@link ModelArtifact} in plain Java: no ND4J call and no allocation per record.
 *
 * <p>The input is standardised raw features: one record for {@code LINEAR} and {@code MLP}; for
 * the GRU, {@code steps} records oldest first. The output is the class probabilities (softmax) for
 * classification, or the target in the input's units for regression. Arithmetic is in double over
 * float weights, so it agrees with ND4J's float forward pass to about 1e-6 relative.
 *
 * <p>Cost per record: one multiply-add per parameter (GRU: per parameter and step). Not thread
 * safe: it owns its scratch buffers; one instance per operator instance.
 */
public final class Predictor {

    private final ModelArtifact model;
    private final Architecture arch;
    private final int[] hidden;
    private final float[][] w;
    private final double[] input;
    private final double[][] act;
    private final double[][] state;
    private final double[] gates;
    private final double[] logits;

    public Predictor(ModelArtifact model) {
        this.model = model;
        this.arch = model.architecture();
        this.hidden = arch.hidden();
        this.w = model.weights();
        this.input = new double[arch.inputs() * arch.steps()];
        this.act = new double[hidden.length][];
        this.state = new double[hidden.length][];
        int maxH = 0;
        for (int l = 0; l < hidden.length; l++) {
            act[l] = new double[hidden[l]];
            state[l] = new double[hidden[l]];
            maxH = Math.max(maxH, hidden[l]);
        }
        this.gates = new double[3 * maxH];
        this.logits = new double[arch.outputs()];
    }

    /** The artifact this predictor runs. */
    public ModelArtifact model() {
        return model;
    }

    /** Width of the standardised input: features times steps. */
    public int inputWidth() {
        return input.length;
    }

    /** Width of the output: classes, or 1. */
    public int outputWidth() {
        return logits.length;
    }

    /**
     * Predicts from raw features: standardises {@code raw} (one record, or {@code steps} records
     * concatenated oldest first) with the model's schema, then runs {@link #predictStandardized}.
     */
    public void predictRaw(double[] raw, double[] out) {
        FeatureSchema s = model.schema();
        int d = s.dimension();
        double[] mean = s.mean();
        double[] std = s.std();
        for (int i = 0; i < input.length; i++) {
            int j = i % d;
            input[i] = (raw[i] - mean[j]) / std[j];
        }
        predictStandardized(input, out);
    }

    /**
     * Predicts from an already standardised input of {@link #inputWidth()} values into {@code out}
     * ({@link #outputWidth()} values): probabilities, or the de-standardised target.
     */
    public void predictStandardized(double[] x, double[] out) {
        double[] top;
        int topWidth;
        int p; // next parameter tensor
        switch (arch.kind()) {
            case LINEAR -> {
                top = x;
                topWidth = arch.inputs();
                p = 0;
            }
            case MLP -> {
                double[] in = x;
                int inW = arch.inputs();
                p = 0;
                for (int l = 0; l < hidden.length; l++) {
                    affine(in, inW, w[p], w[p + 1], act[l], hidden[l]);
                    double[] a = act[l];
                    for (int j = 0; j < hidden[l]; j++) {
                        if (a[j] < 0) {
                            a[j] = 0;
                        }
                    }
                    in = a;
                    inW = hidden[l];
                    p += 2;
                }
                top = in;
                topWidth = inW;
            }
            case GRU -> {
                p = gruForward(x);
                top = state[hidden.length - 1];
                topWidth = hidden[hidden.length - 1];
            }
            default -> throw new AssertionError(arch.kind());
        }
        affine(top, topWidth, w[p], w[p + 1], logits, logits.length);
        if (model.task() == Task.CLASSIFICATION) {
            softmax(logits, out);
        } else {
            out[0] = logits[0] * model.schema().targetStd() + model.schema().targetMean();
        }
    }

    /** Index of the largest value: the predicted class. Ties go to the lower index. */
    public static int argmax(double[] v, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private int gruForward(double[] x) {
        int layers = hidden.length;
        for (int l = 0; l < layers; l++) {
            java.util.Arrays.fill(state[l], 0);
        }
        int d = arch.inputs();
        for (int t = 0; t < arch.steps(); t++) {
            int p = 0;
            for (int l = 0; l < layers; l++) {
                int h = hidden[l];
                float[] wx = w[p];
                float[] wh = w[p + 1];
                float[] b = w[p + 2];
                double[] hPrev = state[l];
                // gates = x Wx + b, then the reset and update blocks add h Wh
                int inW = l == 0 ? d : hidden[l - 1];
                for (int j = 0; j < 3 * h; j++) {
                    gates[j] = b[j];
                }
                if (l == 0) {
                    int off = t * d;
                    for (int i = 0; i < inW; i++) {
                        double xi = x[off + i];
                        int row = i * 3 * h;
                        for (int j = 0; j < 3 * h; j++) {
                            gates[j] += xi * wx[row + j];
                        }
                    }
                } else {
                    double[] below = state[l - 1];
                    for (int i = 0; i < inW; i++) {
                        double xi = below[i];
                        int row = i * 3 * h;
                        for (int j = 0; j < 3 * h; j++) {
                            gates[j] += xi * wx[row + j];
                        }
                    }
                }
                for (int i = 0; i < h; i++) {
                    double hi = hPrev[i];
                    int row = i * 3 * h;
                    for (int j = 0; j < 2 * h; j++) {
                        gates[j] += hi * wh[row + j];
                    }
                }
                for (int j = 0; j < 2 * h; j++) {
                    gates[j] = sigmoid(gates[j]);
                }
                // candidate: (r * h_prev) Wh_c
                for (int i = 0; i < h; i++) {
                    double rh = gates[i] * hPrev[i];
                    int row = i * 3 * h + 2 * h;
                    for (int j = 0; j < h; j++) {
                        gates[2 * h + j] += rh * wh[row + j];
                    }
                }
                double[] next = act[l];
                for (int j = 0; j < h; j++) {
                    double u = gates[h + j];
                    double c = Math.tanh(gates[2 * h + j]);
                    next[j] = (1 - u) * c + u * hPrev[j];
                }
                System.arraycopy(next, 0, hPrev, 0, h);
                p += 3;
            }
        }
        return 3 * layers;
    }

    private static void affine(double[] in, int inW, float[] wt, float[] b, double[] out, int outW) {
        for (int j = 0; j < outW; j++) {
            out[j] = b[j];
        }
        for (int i = 0; i < inW; i++) {
            double xi = in[i];
            if (xi == 0) {
                continue;
            }
            int row = i * outW;
            for (int j = 0; j < outW; j++) {
                out[j] += xi * wt[row + j];
            }
        }
    }

    private static void softmax(double[] z, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            out[i] = Math.exp(z[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < z.length; i++) {
            out[i] /= sum;
        }
    }

    private static double sigmoid(double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }

    /**
     * Seeded initial weights for an architecture: Glorot-uniform matrices and zero biases (GRU
     * update-gate biases start at 1 so that a fresh GRU keeps its state, a common choice).
     */
    public static float[][] initialWeights(Architecture arch, long seed) {
        List<int[]> shapes = arch.parameterShapes();
        float[][] out = new float[shapes.size()][];
        io.driftguard.operators.sketch.SplitMix64 rnd = new io.driftguard.operators.sketch.SplitMix64(seed);
        for (int t = 0; t < shapes.size(); t++) {
            int[] s = shapes.get(t);
            float[] v = new float[s[0] * s[1]];
            if (s[0] > 1 || isMatrixOfOneRow(arch, t)) {
                double limit = Math.sqrt(6.0 / (s[0] + s[1]));
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) ((2 * rnd.nextDouble() - 1) * limit);
                }
            } else if (arch.kind() == ModelKind.GRU && t < 3 * arch.hidden().length) {
                int h = s[1] / 3;
                for (int j = h; j < 2 * h; j++) {
                    v[j] = 1f;
                }
            }
            out[t] = v;
        }
        return out;
    }

    /** Biases are the 1-row tensors at the documented positions; a 1-input weight matrix is not. */
    private static boolean isMatrixOfOneRow(Architecture arch, int t) {
        int layers = arch.hidden().length;
        if (arch.kind() == ModelKind.GRU) {
            return t < 3 * layers ? t % 3 != 2 : t == 3 * layers;
        }
        return t % 2 == 0;
    }
}
