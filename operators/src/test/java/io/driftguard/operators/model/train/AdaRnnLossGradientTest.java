package io.driftguard.operators.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.operators.model.Architecture;
import io.driftguard.operators.model.ModelKind;
import io.driftguard.operators.model.Task;
import io.driftguard.operators.sketch.SplitMix64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The TDM loss: its value against a direct computation, its gradients against finite differences. */
class AdaRnnLossGradientTest {


    @Test
    void tdmLossMatchesItsDefinitionAndFiniteDifferences() {
        Architecture arch = new Architecture(ModelKind.GRU, 3, new int[] {4, 3}, 1, 5);
        int[] sizes = {4, 3, 5};
        double lambda = 2.5;
        check(arch, Task.REGRESSION, sizes, lambda, 0.01);
    }

    @Test
    void classificationAndOneLayer() {
        Architecture arch = new Architecture(ModelKind.GRU, 2, new int[] {5}, 3, 4);
        check(arch, Task.CLASSIFICATION, new int[] {6, 6}, 1.5, 0);
    }

    private static void check(Architecture arch, Task task, int[] sizes, double lambda, double l2) {
        int k = sizes.length;
        int n = 0;
        for (int s : sizes) {
            n += s;
        }
        int width = arch.inputs() * arch.steps();
        SplitMix64 rnd = new SplitMix64(11);
        float[] x = new float[n * width];
        for (int i = 0; i < x.length; i++) {
            // each period's inputs shifted, so that the states' means differ between periods
            int period = periodOf(i / width, sizes);
            x[i] = (float) (rnd.nextGaussian() + period);
        }
        int layers = arch.hidden().length;
        double[][] alpha = new double[layers][arch.steps()];
        for (double[] row : alpha) {
            for (int t = 0; t < row.length; t++) {
                row[t] = 0.1 + rnd.nextDouble();
            }
        }
        AdaRnnLoss term = new AdaRnnLoss(arch, k, lambda);
        ModelGraph g = ModelGraph.build(arch, task, DataType.DOUBLE, term);
        float[][] weights = TrainFixtures.randomWeights(arch, 5);
        g.setWeights(weights);
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(ModelGraph.INPUT, Nd4j.create(toDouble(x), new long[] {n, width}, 'c'));
        double[] y = new double[n * arch.outputs()];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 1.0 / n;
            if (task == Task.CLASSIFICATION) {
                y[i * arch.outputs() + rnd.nextInt(arch.outputs())] = w[i];
            } else {
                y[i] = rnd.nextGaussian();
            }
        }
        feed.put(ModelGraph.LABELS, Nd4j.create(y, new long[] {n, arch.outputs()}, 'c'));
        if (task == Task.REGRESSION) {
            feed.put(ModelGraph.ROW_WEIGHTS, Nd4j.create(w, new long[] {n, 1}, 'c'));
        }
        term.prepare(sizes, alpha, DataType.DOUBLE);
        feed.putAll(term.feed(0, 0, null));

        // value: loss - task loss = lambda * sum_l sum_t alpha * (sum over pairs of the linear MMD)
        List<String> names = new java.util.ArrayList<>(List.of(g.loss().name(), ModelGraph.TASK_LOSS));
        for (int l = 0; l < layers; l++) {
            names.add(AdaRnnLoss.distanceName(l));
        }
        Map<String, INDArray> out = g.sameDiff().output(feed, names.toArray(new String[0]));
        double expected = 0;
        for (int l = 0; l < layers; l++) {
            INDArray d = out.get(AdaRnnLoss.distanceName(l));
            for (int t = 0; t < arch.steps(); t++) {
                assertThat(d.getDouble(t)).isGreaterThan(0);
                expected += alpha[l][t] * d.getDouble(t);
            }
        }
        double extra = out.get(g.loss().name()).getDouble(0) - out.get(ModelGraph.TASK_LOSS).getDouble(0);
        assertThat(extra).isCloseTo(lambda * expected, org.assertj.core.data.Offset.offset(1e-10));
        // the distances against the definition: linear MMD of plain-Java GRU states, summed over pairs
        double[][][][] h = javaStates(arch, weights, x, n); // [row][layer][step][unit]
        for (int l = 0; l < layers; l++) {
            INDArray d = out.get(AdaRnnLoss.distanceName(l));
            for (int t = 0; t < arch.steps(); t++) {
                double want = 0;
                for (int i = 0; i < k; i++) {
                    for (int j = i + 1; j < k; j++) {
                        double[] mi = mean(h, sizes, i, l, t);
                        double[] mj = mean(h, sizes, j, l, t);
                        for (int u = 0; u < mi.length; u++) {
                            want += (mi[u] - mj[u]) * (mi[u] - mj[u]);
                        }
                    }
                }
                assertThat(d.getDouble(t)).isCloseTo(want, org.assertj.core.data.Offset.offset(1e-6 * (1 + want)));
            }
        }

        TrainFixtures.assertGradientsMatchFiniteDifferences(g, feed, l2, 8);
    }

    private static double[] mean(double[][][][] h, int[] sizes, int period, int l, int t) {
        int from = 0;
        for (int p = 0; p < period; p++) {
            from += sizes[p];
        }
        double[] m = new double[h[0][l][t].length];
        for (int r = from; r < from + sizes[period]; r++) {
            for (int u = 0; u < m.length; u++) {
                m[u] += h[r][l][t][u] / sizes[period];
            }
        }
        return m;
    }

    /** The GRU's states as Architecture documents them, in double precision. */
    private static double[][][][] javaStates(Architecture arch, float[][] w, float[] x, int n) {
        int[] hidden = arch.hidden();
        int steps = arch.steps();
        double[][][][] out = new double[n][hidden.length][steps][];
        for (int r = 0; r < n; r++) {
            double[][] in = new double[steps][];
            for (int t = 0; t < steps; t++) {
                in[t] = new double[arch.inputs()];
                for (int f = 0; f < arch.inputs(); f++) {
                    in[t][f] = x[(r * steps + t) * arch.inputs() + f];
                }
            }
            for (int l = 0; l < hidden.length; l++) {
                int hs = hidden[l];
                float[] wx = w[3 * l];
                float[] wh = w[3 * l + 1];
                float[] b = w[3 * l + 2];
                double[] state = new double[hs];
                for (int t = 0; t < steps; t++) {
                    double[] z = new double[3 * hs];
                    for (int c = 0; c < 3 * hs; c++) {
                        z[c] = b[c];
                        for (int f = 0; f < in[t].length; f++) {
                            z[c] += in[t][f] * wx[f * 3 * hs + c];
                        }
                    }
                    double[] next = new double[hs];
                    for (int u = 0; u < hs; u++) {
                        double rz = z[u];
                        double uz = z[hs + u];
                        for (int v = 0; v < hs; v++) {
                            rz += state[v] * wh[v * 3 * hs + u];
                            uz += state[v] * wh[v * 3 * hs + hs + u];
                        }
                        double[] gates = {1 / (1 + Math.exp(-rz)), 1 / (1 + Math.exp(-uz))};
                        next[u] = gates[1]; // the update gate, for now
                        z[u] = gates[0];
                    }
                    for (int u = 0; u < hs; u++) {
                        double cz = z[2 * hs + u];
                        for (int v = 0; v < hs; v++) {
                            cz += z[v] * state[v] * wh[v * 3 * hs + 2 * hs + u];
                        }
                        double upd = next[u];
                        next[u] = (1 - upd) * Math.tanh(cz) + upd * state[u];
                    }
                    state = next;
                    out[r][l][t] = state;
                }
                for (int t = 0; t < steps; t++) {
                    in[t] = out[r][l][t];
                }
            }
        }
        return out;
    }

    private static int periodOf(int row, int[] sizes) {
        int p = 0;
        while (row >= sizes[p]) {
            row -= sizes[p++];
        }
        return p;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
