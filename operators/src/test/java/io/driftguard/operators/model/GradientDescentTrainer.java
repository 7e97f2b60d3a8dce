package io.driftguard.operators.model;

/**
 * A plain-Java reference trainer for linear models (softmax or least squares), full-batch gradient
 * descent: independent of ND4J, for testing the scoring logic around the trainer.
 */
public final class GradientDescentTrainer implements ModelTrainer {

    private final int iterations;

    public GradientDescentTrainer(int iterations) {
        this.iterations = iterations;
    }

    @Override
    public TrainOutcome fit(Architecture arch, Task task, float[][] init, TrainingSet train, TrainingSet validation,
            TrainConfig config) {
        if (arch.kind() != ModelKind.LINEAR) {
            throw new IllegalArgumentException("reference trainer handles linear models only");
        }
        int d = arch.inputs();
        int o = arch.outputs();
        double[] w = new double[d * o];
        double[] b = new double[o];
        for (int i = 0; i < w.length; i++) {
            w[i] = init[0][i];
        }
        for (int j = 0; j < o; j++) {
            b[j] = init[1][j];
        }
        double rate = 0.5;
        double[] z = new double[o];
        for (int it = 0; it < iterations; it++) {
            double[] gw = new double[d * o];
            double[] gb = new double[o];
            for (int r = 0; r < train.rows(); r++) {
                for (int j = 0; j < o; j++) {
                    z[j] = b[j];
                    for (int i = 0; i < d; i++) {
                        z[j] += train.x()[r * d + i] * w[i * o + j];
                    }
                }
                if (task == Task.CLASSIFICATION) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (double v : z) {
                        max = Math.max(max, v);
                    }
                    double sum = 0;
                    for (int j = 0; j < o; j++) {
                        z[j] = Math.exp(z[j] - max);
                        sum += z[j];
                    }
                    for (int j = 0; j < o; j++) {
                        z[j] = z[j] / sum - (j == (int) train.y()[r] ? 1 : 0);
                    }
                } else {
                    z[0] = z[0] - train.y()[r];
                }
                for (int j = 0; j < o; j++) {
                    gb[j] += z[j];
                    for (int i = 0; i < d; i++) {
                        gw[i * o + j] += z[j] * train.x()[r * d + i];
                    }
                }
            }
            double scale = rate / Math.max(1, train.rows());
            for (int i = 0; i < w.length; i++) {
                w[i] -= scale * gw[i];
            }
            for (int j = 0; j < o; j++) {
                b[j] -= scale * gb[j];
            }
        }
        float[][] out = {new float[d * o], new float[o]};
        for (int i = 0; i < w.length; i++) {
            out[0][i] = (float) w[i];
        }
        for (int j = 0; j < o; j++) {
            out[1][j] = (float) b[j];
        }
        return new TrainOutcome(out, iterations, Double.NaN, 0);
    }
}
