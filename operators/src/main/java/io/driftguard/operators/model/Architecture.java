package io.driftguard.operators.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The shape of a model: its kind, input width, hidden sizes, output width and, for the GRU, the
 * number of steps it reads.
 *
 * <p>Parameter tensors, row-major, in this order (the contract between the trainer and the
 * {@link Predictor}):
 *
 * <ul>
 *   <li>{@code LINEAR}: {@code W [inputs x outputs]}, {@code b [outputs]};
 *   <li>{@code MLP}: per hidden layer {@code l}: {@code W_l [in_l x hidden_l]}, {@code b_l
 *       [hidden_l]} (ReLU after each), then {@code W_out [hidden_last x outputs]}, {@code b_out};
 *   <li>{@code GRU}: per layer {@code l}: {@code Wx_l [in_l x 3H_l]}, {@code Wh_l [H_l x 3H_l]},
 *       {@code b_l [3H_l]} with gate blocks in the order reset, update, candidate; then {@code
 *       W_out [H_last x outputs]}, {@code b_out}. One step: {@code r = sigma(x Wx_r + h Wh_r +
 *       b_r)}, {@code u = sigma(x Wx_u + h Wh_u + b_u)}, {@code c = tanh(x Wx_c + (r * h) Wh_c +
 *       b_c)}, {@code h' = (1 - u) * c + u * h}; the output reads the last step's top-layer state.
 * </ul>
 *
 * <p>{@code outputs} is the number of classes (softmax) for classification and 1 for regression.
 *
 * @param kind the architecture
 * @param inputs features per record
 * @param hidden hidden layer sizes (empty for {@code LINEAR}; at least one for the others)
 * @param outputs output width
 * @param steps records per GRU input sequence; 1 for the other kinds
 */
public record Architecture(ModelKind kind, int inputs, int[] hidden, int outputs, int steps)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public Architecture {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(hidden, "hidden");
        hidden = hidden.clone();
        check(inputs >= 1 && inputs <= 65_536, "inputs must be in 1..65536, got " + inputs);
        check(outputs >= 1 && outputs <= 65_536, "outputs must be in 1..65536, got " + outputs);
        for (int h : hidden) {
            check(h >= 1 && h <= 4096, "hidden sizes must be in 1..4096, got " + h);
        }
        switch (kind) {
            case LINEAR -> check(hidden.length == 0, "a linear model has no hidden layers");
            case MLP, GRU -> check(hidden.length >= 1 && hidden.length <= 8,
                    kind.cliName() + " needs 1 to 8 hidden layers, got " + hidden.length);
            default -> throw new AssertionError(kind);
        }
        check(kind == ModelKind.GRU ? steps >= 1 && steps <= 1024 : steps == 1,
                kind == ModelKind.GRU ? "GRU steps must be in 1..1024, got " + steps : "steps must be 1");
    }

    /** The shapes of the parameter tensors in the documented order; each is {rows, cols}. */
    public List<int[]> parameterShapes() {
        List<int[]> shapes = new ArrayList<>();
        int in = inputs;
        for (int h : hidden) {
            if (kind == ModelKind.GRU) {
                shapes.add(new int[] {in, 3 * h});
                shapes.add(new int[] {h, 3 * h});
                shapes.add(new int[] {1, 3 * h});
            } else {
                shapes.add(new int[] {in, h});
                shapes.add(new int[] {1, h});
            }
            in = h;
        }
        shapes.add(new int[] {in, outputs});
        shapes.add(new int[] {1, outputs});
        return shapes;
    }

    /** Total number of parameters. */
    public long parameterCount() {
        long n = 0;
        for (int[] s : parameterShapes()) {
            n += (long) s[0] * s[1];
        }
        return n;
    }

    /** Returns the hidden sizes (a copy). */
    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /** Whether two architectures are the same shape. */
    public boolean sameShape(Architecture o) {
        return kind == o.kind && inputs == o.inputs && outputs == o.outputs && steps == o.steps
                && Arrays.equals(hidden, o.hidden);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Architecture a && sameShape(a);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, inputs, outputs, steps) * 31 + Arrays.hashCode(hidden);
    }

    @Override
    public String toString() {
        return kind.cliName() + Arrays.toString(hidden) + " " + inputs + "->" + outputs
                + (kind == ModelKind.GRU ? " over " + steps + " steps" : "");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
