package io.driftguard.operators.model.train;

import io.driftguard.operators.model.Architecture;
import io.driftguard.operators.model.ModelKind;
import io.driftguard.operators.model.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import javax.annotation.Nullable;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The SameDiff graph of one {@link Architecture} and {@link Task}: the model's forward pass, its
 * weighted task loss and, optionally, an extra {@link LossTerm}.
 *
 * <p>Placeholders: {@link #INPUT} {@code [N, inputs * steps]} (standardised rows, GRU records
 * oldest first); {@link #LABELS}: for classification {@code [N, classes]}, each row the one-hot
 * label times the row's weight, for regression {@code [N, 1]} standardised targets; {@link
 * #ROW_WEIGHTS} (regression only) {@code [N, 1]}. Row weights are non-negative and sum to 1 over
 * the rows of one loss value. Outputs: {@link #OUTPUT} (class probabilities, or the standardised
 * target), {@link #TASK_LOSS}, and {@link #loss()}, the loss that training minimises:
 *
 * <pre>
 *   taskLoss = sum_i w_i * ( -log softmax(z_i)[y_i] )     classification
 *            = sum_i w_i * ( z_i - y_i )^2                 regression
 *   loss     = taskLoss (+ the extra term)
 * </pre>
 *
 * <p>The L2 penalty {@code l2 * sum W^2} over the weight matrices ({@link #weightMatrixNames()}) is
 * not part of the graph: the trainer adds its gradient {@code 2 l2 W} to the graph's, which saves a
 * dozen ops per step (SameDiff's cost per op dominates a small model's step).
 *
 * <p>The GRU is built from primitive ops (matrix products, sigmoid, tanh) and unrolled over its
 * steps exactly as {@link Architecture}'s Javadoc states; ND4J's built-in GRU cell is not used (its
 * backprop for the reset gate is suspect in 1.0.0-M2.1). Its input projections are computed for
 * all steps in one product per gate. Each GRU parameter tensor is held as three variables, one per
 * gate block (reset, update, candidate), so that the graph needs no slicing of weights; {@link
 * #setWeights} and {@link #weights} convert from and to the documented tensor layout.
 *
 * <p>A graph is not thread safe. Building one costs a few milliseconds; the trainer caches graphs
 * without an extra term per architecture, task and data type.
 */
public final class ModelGraph {

    /** Placeholder: standardised input rows. */
    public static final String INPUT = "x";
    /** Placeholder: weighted one-hot labels (classification) or standardised targets. */
    public static final String LABELS = "y";
    /** Placeholder (regression only): per-row loss weights summing to 1 over a loss evaluation. */
    public static final String ROW_WEIGHTS = "w";
    /** Output: class probabilities, or the standardised regression target. */
    public static final String OUTPUT = "out";
    /** Output: the weighted task loss. */
    public static final String TASK_LOSS = "taskLoss";

    private static final String[] GATES = {"r", "u", "c"};

    private final Architecture arch;
    private final Task task;
    private final DataType dataType;
    private final SameDiff sd;
    /** Per documented parameter tensor: its graph variables (one, or three gate blocks). */
    private final List<SDVariable[]> params;
    private final List<SDVariable> weightMatrices;
    private final Forward main;
    private final SDVariable labels;
    @Nullable private final SDVariable rowWeights;
    private final SDVariable taskLoss;
    private final SDVariable loss;
    private final List<String> trainable;

    /**
     * The forward pass of one input through the model.
     *
     * @param logits pre-softmax scores (classification) or the standardised target, {@code [N,
     *     outputs]}
     * @param output class probabilities, or the standardised target
     * @param hidden the representation the output layer reads: the last hidden layer (MLP), the
     *     last step's top-layer state (GRU), the input itself (LINEAR)
     * @param steps GRU only: per layer, the hidden state after each step ({@code [N, H_l]}, oldest
     *     first); empty for the other kinds
     */
    public record Forward(SDVariable logits, SDVariable output, SDVariable hidden,
            List<List<SDVariable>> steps) {}

    private ModelGraph(Architecture arch, Task task, DataType dataType, @Nullable LossTerm extra) {
        this.arch = Objects.requireNonNull(arch, "arch");
        this.task = Objects.requireNonNull(task, "task");
        this.dataType = Objects.requireNonNull(dataType, "dataType");
        if (task == Task.REGRESSION && arch.outputs() != 1) {
            throw new IllegalArgumentException("regression needs 1 output, got " + arch.outputs());
        }
        Nd4jRuntime.ensureReady();
        this.sd = SameDiff.create();
        this.params = new ArrayList<>();
        this.weightMatrices = new ArrayList<>();
        createParameters();
        SDVariable x = sd.placeHolder(INPUT, dataType, -1, (long) arch.inputs() * arch.steps());
        this.labels = sd.placeHolder(LABELS, dataType, -1, arch.outputs());
        this.rowWeights =
                task == Task.REGRESSION ? sd.placeHolder(ROW_WEIGHTS, dataType, -1, 1) : null;
        this.main = forward(x, true);
        this.taskLoss = taskLoss(main, labels, rowWeights).rename(TASK_LOSS);
        this.loss = extra == null ? taskLoss : taskLoss.add("loss", extra.define(this));
        sd.setLossVariables(loss);
        List<String> names = new ArrayList<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE) {
                names.add(v.name());
            }
        }
        this.trainable = Collections.unmodifiableList(names);
    }

    /** Builds the graph; {@code extra} may be null. */
    public static ModelGraph build(
            Architecture arch, Task task, DataType dataType, @Nullable LossTerm extra) {
        return new ModelGraph(arch, task, dataType, extra);
    }

    private void createParameters() {
        List<int[]> shapes = arch.parameterShapes();
        int layers = arch.hidden().length;
        for (int t = 0; t < shapes.size(); t++) {
            int[] s = shapes.get(t);
            boolean gru = arch.kind() == ModelKind.GRU && t < 3 * layers;
            boolean matrix = gru ? t % 3 != 2 : t % 2 == 0;
            if (gru) {
                SDVariable[] blocks = new SDVariable[3];
                for (int g = 0; g < 3; g++) {
                    String name = "p" + t + "_" + GATES[g];
                    blocks[g] = sd.var(name, Nd4j.zeros(dataType, s[0], s[1] / 3));
                    if (matrix) {
                        weightMatrices.add(blocks[g]);
                    }
                }
                params.add(blocks);
            } else {
                SDVariable v = sd.var("p" + t, Nd4j.zeros(dataType, s[0], s[1]));
                if (matrix) {
                    weightMatrices.add(v);
                }
                params.add(new SDVariable[] {v});
            }
        }
    }

    /**
     * Applies the model, with its weights shared, to another input {@code [N, inputs * steps]}:
     * for loss terms between two batches' representations.
     */
    public Forward apply(SDVariable input) {
        return forward(input, false);
    }

    private Forward forward(SDVariable x, boolean named) {
        SDVariable top;
        List<List<SDVariable>> steps = List.of();
        int p;
        switch (arch.kind()) {
            case LINEAR -> {
                top = x;
                p = 0;
            }
            case MLP -> {
                SDVariable a = x;
                p = 0;
                for (int l = 0; l < arch.hidden().length; l++) {
                    a = sd.nn().relu(a.mmul(param(p)).add(param(p + 1)), 0.0);
                    p += 2;
                }
                top = a;
            }
            case GRU -> {
                steps = gru(x);
                List<SDVariable> last = steps.get(steps.size() - 1);
                top = last.get(last.size() - 1);
                p = 3 * arch.hidden().length;
            }
            default -> throw new AssertionError(arch.kind());
        }
        SDVariable logits = top.mmul(param(p)).add(param(p + 1));
        SDVariable out =
                task == Task.CLASSIFICATION ? sd.nn().softmax(logits, 1) : sd.identity(logits);
        if (named) {
            out = out.rename(OUTPUT);
        }
        return new Forward(logits, out, top, steps);
    }

    /** The GRU, unrolled; returns per layer the state after each step. */
    private List<List<SDVariable>> gru(SDVariable x) {
        int[] hidden = arch.hidden();
        int t1 = arch.steps();
        List<List<SDVariable>> all = new ArrayList<>();
        // inputs of the current layer as one [N*T, in] matrix, row n*T + t = step t of row n
        SDVariable in = sd.reshape(x, -1, arch.inputs());
        for (int l = 0; l < hidden.length; l++) {
            int h = hidden[l];
            SDVariable[] wx = params.get(3 * l);
            SDVariable[] wh = params.get(3 * l + 1);
            SDVariable[] b = params.get(3 * l + 2);
            SDVariable[][] proj = new SDVariable[3][];
            for (int g = 0; g < 3; g++) {
                SDVariable z = sd.reshape(in.mmul(wx[g]).add(b[g]), -1, t1, h);
                proj[g] = t1 == 1 ? new SDVariable[] {sd.reshape(z, -1, h)} : sd.unstack(z, 1, t1);
            }
            List<SDVariable> states = new ArrayList<>(t1);
            SDVariable state = null;
            for (int t = 0; t < t1; t++) {
                if (state == null) {
                    // h_prev = 0: r drops out, and h = (1 - u) * c
                    SDVariable u = sd.nn().sigmoid(proj[1][t]);
                    SDVariable c = sd.math().tanh(proj[2][t]);
                    state = u.rsub(1.0).mul(c);
                } else {
                    SDVariable r = sd.nn().sigmoid(proj[0][t].add(state.mmul(wh[0])));
                    SDVariable u = sd.nn().sigmoid(proj[1][t].add(state.mmul(wh[1])));
                    SDVariable c = sd.math().tanh(proj[2][t].add(r.mul(state).mmul(wh[2])));
                    state = u.rsub(1.0).mul(c).add(u.mul(state));
                }
                states.add(state);
            }
            all.add(Collections.unmodifiableList(states));
            if (l + 1 < hidden.length) {
                in = t1 == 1
                        ? state
                        : sd.reshape(sd.stack(1, states.toArray(new SDVariable[0])), -1, h);
            }
        }
        return Collections.unmodifiableList(all);
    }

    /**
     * The weighted task loss of a forward pass, for loss terms that score the task on another
     * batch.
     *
     * @param y classification: {@code [N, classes]} one-hot rows times the row weights;
     *     regression: {@code [N, 1]} standardised targets
     * @param w regression: row weights {@code [N, 1]}; ignored (may be null) for classification
     */
    public SDVariable taskLoss(Forward f, SDVariable y, @Nullable SDVariable w) {
        if (task == Task.CLASSIFICATION) {
            // logSoftmax over the last axis: its variant with an explicit axis fails in backprop
            return y.mul(sd.nn().logSoftmax(f.logits())).sum().neg();
        }
        Objects.requireNonNull(w, "row weights");
        SDVariable d = f.logits().sub(y);
        return d.mul(d).mul(w).sum();
    }

    private SDVariable param(int tensor) {
        return params.get(tensor)[0];
    }

    /**
     * Sets the model's weights from tensors in {@link Architecture#parameterShapes()} order (values
     * are copied).
     */
    public void setWeights(float[][] weights) {
        List<int[]> shapes = arch.parameterShapes();
        if (weights.length != shapes.size()) {
            throw new IllegalArgumentException(
                    arch + " has " + shapes.size() + " parameter tensors, got " + weights.length);
        }
        for (int t = 0; t < shapes.size(); t++) {
            int rows = shapes.get(t)[0];
            int cols = shapes.get(t)[1];
            if (weights[t].length != rows * cols) {
                throw new IllegalArgumentException("parameter tensor " + t + " must hold " + rows + "x"
                        + cols + " values, got " + weights[t].length);
            }
            SDVariable[] vars = params.get(t);
            int bc = cols / vars.length;
            for (int g = 0; g < vars.length; g++) {
                float[] block = new float[rows * bc];
                for (int i = 0; i < rows; i++) {
                    System.arraycopy(weights[t], i * cols + g * bc, block, i * bc, bc);
                }
                INDArray value = Nd4j.create(block, new long[] {rows, bc}, 'c').castTo(dataType);
                vars[g].getArr().assign(value);
            }
        }
    }

    /** The model's current weights in {@link Architecture#parameterShapes()} order. */
    public float[][] weights() {
        List<int[]> shapes = arch.parameterShapes();
        float[][] out = new float[shapes.size()][];
        for (int t = 0; t < shapes.size(); t++) {
            int rows = shapes.get(t)[0];
            int cols = shapes.get(t)[1];
            SDVariable[] vars = params.get(t);
            int bc = cols / vars.length;
            float[] v = new float[rows * cols];
            for (int g = 0; g < vars.length; g++) {
                float[] block = toFloats(vars[g].getArr());
                for (int i = 0; i < rows; i++) {
                    System.arraycopy(block, i * bc, v, i * cols + g * bc, bc);
                }
            }
            out[t] = v;
        }
        return out;
    }

    /** The values of an array in row-major order, as floats. */
    static float[] toFloats(INDArray a) {
        return a.dup('c').castTo(DataType.FLOAT).data().asFloat();
    }

    /**
     * Graph variable names of documented parameter tensor {@code t}: one name, or three (reset,
     * update, candidate blocks) for the GRU's tensors.
     */
    public List<String> variableNames(int t) {
        List<String> names = new ArrayList<>();
        for (SDVariable v : params.get(t)) {
            names.add(v.name());
        }
        return names;
    }

    /** Names of the graph variables that hold weight matrices (not biases): the L2 penalty's. */
    public List<String> weightMatrixNames() {
        List<String> names = new ArrayList<>();
        for (SDVariable v : weightMatrices) {
            names.add(v.name());
        }
        return names;
    }

    /** Names of all trainable variables: the model's and any an extra term created. */
    public List<String> trainableNames() {
        return trainable;
    }

    /** The SameDiff instance, for loss terms that add ops. */
    public SameDiff sameDiff() {
        return sd;
    }

    /** The architecture. */
    public Architecture architecture() {
        return arch;
    }

    /** The task. */
    public Task task() {
        return task;
    }

    /** The floating-point type of the graph's variables and placeholders. */
    public DataType dataType() {
        return dataType;
    }

    /** The forward pass of the {@link #INPUT} placeholder. */
    public Forward main() {
        return main;
    }

    /** The {@link #LABELS} placeholder. */
    public SDVariable labels() {
        return labels;
    }

    /** The {@link #ROW_WEIGHTS} placeholder; null for classification. */
    @Nullable
    public SDVariable rowWeights() {
        return rowWeights;
    }

    /** The weighted task loss of the main forward pass. */
    public SDVariable taskLoss() {
        return taskLoss;
    }

    /** The loss that training minimises: the task loss, plus the extra term when there is one. */
    public SDVariable loss() {
        return loss;
    }
}
