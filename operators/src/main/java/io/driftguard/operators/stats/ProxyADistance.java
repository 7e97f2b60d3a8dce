package io.driftguard.operators.stats;

import java.util.SplittableRandom;

/**
 * Proxy A-distance between two samples (Ben-David et al. 2007, 2010): how well a linear classifier
 * tells them apart.
 *
 * <p>d_A = 2 (1 - 2 eps), clipped to [0, 2], where eps is the k-fold (default 5) cross-validated
 * held-out error of an L2-regularised logistic regression labelling X as 0 and Y as 1. The larger
 * sample is first subsampled uniformly (seeded) to the size of the smaller, so chance error is 1/2;
 * features are standardised with the pooled mean and (population) standard deviation of that
 * balanced sample, constant features become 0. Folds are stratified: each side is shuffled and
 * dealt round-robin into the folds. The model minimises (1/n) sum log-loss + (lambda/2) ||w||^2
 * (intercept not penalised) by Newton's method with step halving, warm-started from the previous
 * fold's solution. A held-out prediction of exactly 1/2 counts as half an error, so identical
 * samples give eps = 1/2 and d_A = 0.
 *
 * <p>Bias: eps is a cross-validated estimate of the error of the best linear separator, so d_A is
 * slightly optimistic for small samples (near 0 it is clipped) and blind to non-linear
 * differences. Cost O(k * iterations * n d^2 + d^3), memory O(n d). Deterministic given the seed.
 */
public final class ProxyADistance {
    /** Default number of cross-validation folds. */
    public static final int DEFAULT_FOLDS = 5;
    /** Default L2 penalty on the standardised weights. */
    public static final double DEFAULT_LAMBDA = 1e-3;

    private static final int MAX_ITERATIONS = 50;
    /**
     * Newton stops when no coefficient moves by more than this (standardised units): the result
     * is a count of held-out signs, which a coefficient change of 1e-5 moves only for points within
     * about 1e-5 of the boundary.
     */
    private static final double STEP_TOLERANCE = 1e-5;

    private ProxyADistance() {}

    /** d_A with the default folds and lambda. */
    public static double compute(double[][] x, double[][] y, long seed) {
        return compute(x, y, DEFAULT_FOLDS, DEFAULT_LAMBDA, seed);
    }

    /** d_A = 2 (1 - 2 eps) clipped to [0, 2]. */
    public static double compute(double[][] x, double[][] y, int folds, double lambda, long seed) {
        return fromError(heldOutError(x, y, folds, lambda, seed));
    }

    /** Converts a held-out error to d_A = 2 (1 - 2 eps), clipped to [0, 2]. */
    public static double fromError(double eps) {
        return Math.min(2.0, Math.max(0.0, 2.0 * (1.0 - 2.0 * eps)));
    }

    /** The cross-validated held-out error eps of the balanced, standardised problem. */
    public static double heldOutError(double[][] x, double[][] y, int folds, double lambda, long seed) {
        int d = Checks.checkPair(x, y);
        Checks.checkArgument(folds >= 2, "folds must be >= 2, got %s", folds);
        Checks.checkArgument(
                lambda > 0 && Double.isFinite(lambda), "lambda must be positive, got %s", lambda);
        Balanced problem = balanced(x, y, d, folds, seed);
        int half = problem.half();
        int size = problem.size();
        int cols = problem.cols();
        double[] data = problem.data();
        int[] fold = problem.fold();
        double[] label = new double[size];
        for (int i = half; i < size; i++) {
            label[i] = 1.0;
        }
        for (int i = 0; i < size; i++) {
            data[i * cols + d] = 1.0;
        }
        double errors = 0;
        double[] beta = new double[cols];
        Newton solver = new Newton(cols);
        for (int k = 0; k < folds; k++) {
            boolean any = false;
            for (int i = 0; i < size; i++) {
                any |= fold[i] == k;
            }
            if (!any) {
                continue;
            }
            solver.fit(data, label, fold, k, size, lambda, beta);
            for (int i = 0; i < size; i++) {
                if (fold[i] != k) {
                    continue;
                }
                double eta = dot(data, i * cols, beta, cols);
                if (eta == 0.0) {
                    errors += 0.5;
                } else if ((eta > 0) != (label[i] > 0.5)) {
                    errors += 1.0;
                }
            }
        }
        return errors / size;
    }

    /**
     * d_A from a regularised Fisher linear discriminant instead of the logistic regression: the
     * same balancing, standardisation and stratified folds; per fold the class means and the
     * pooled within-class covariance of the training folds (from per-fold sufficient statistics,
     * so the folds cost one pass over the data), the covariance shrunk towards the identity by
     * {@link #LDA_SHRINKAGE} (its share of the weight), and a held-out point assigned to the side of
     * the midpoint between the two training means along {@code w = S^-1 (mu_1 - mu_0)}.
     *
     * <p>It is the Bayes-optimal linear rule for two Gaussians with a shared covariance, and for
     * a shift of the mean it separates as well as the logistic regression does; it has no
     * iterations, so its cost is O(n d^2 + k d^3) (about 30 times less than the logistic
     * regression at n = 512, d = 8). Bias as for {@link #compute}: optimistic for tiny samples,
     * blind to non-linear differences, and blind to a change of variance alone (the means do not
     * move). Deterministic given the seed.
     */
    public static double linearDiscriminant(double[][] x, double[][] y, long seed) {
        return fromError(linearDiscriminantError(x, y, DEFAULT_FOLDS, seed));
    }

    /** Weight of the identity in the shrunk covariance of {@link #linearDiscriminant}. */
    public static final double LDA_SHRINKAGE = 0.05;

    /** The cross-validated held-out error of {@link #linearDiscriminant}. */
    public static double linearDiscriminantError(double[][] x, double[][] y, int folds, long seed) {
        int d = Checks.checkPair(x, y);
        Checks.checkArgument(folds >= 2, "folds must be >= 2, got %s", folds);
        if (Math.min(x.length, y.length) < folds) {
            return 0.5;
        }
        Balanced problem = balanced(x, y, d, folds, seed);
        int half = problem.half();
        int size = problem.size();
        int cols = problem.cols();
        double[] data = problem.data();
        int[] fold = problem.fold();
        // per fold and class: count, sum and the uncentred second moments
        double[][][] sum = new double[folds][2][d];
        double[][][] second = new double[folds][2][d * d];
        int[][] count = new int[folds][2];
        for (int i = 0; i < size; i++) {
            int c = i < half ? 0 : 1;
            int k = fold[i];
            count[k][c]++;
            double[] s = sum[k][c];
            double[] q = second[k][c];
            int o = i * cols;
            for (int a = 0; a < d; a++) {
                double va = data[o + a];
                s[a] += va;
                for (int b = 0; b <= a; b++) {
                    q[a * d + b] += va * data[o + b];
                }
            }
        }
        double[] mu0 = new double[d];
        double[] mu1 = new double[d];
        double[] cov = new double[d * d];
        double[] diff = new double[d];
        double[] w = new double[d];
        double errors = 0;
        for (int k = 0; k < folds; k++) {
            java.util.Arrays.fill(cov, 0.0);
            double[] s0 = new double[d];
            double[] s1 = new double[d];
            int n0 = 0;
            int n1 = 0;
            for (int j = 0; j < folds; j++) {
                if (j == k) {
                    continue;
                }
                n0 += count[j][0];
                n1 += count[j][1];
                for (int a = 0; a < d; a++) {
                    s0[a] += sum[j][0][a];
                    s1[a] += sum[j][1][a];
                }
                for (int e = 0; e < d * d; e++) {
                    cov[e] += second[j][0][e] + second[j][1][e];
                }
            }
            for (int a = 0; a < d; a++) {
                mu0[a] = s0[a] / n0;
                mu1[a] = s1[a] / n1;
                diff[a] = mu1[a] - mu0[a];
            }
            int dof = Math.max(1, n0 + n1 - 2);
            for (int a = 0; a < d; a++) {
                for (int b = 0; b <= a; b++) {
                    double within = cov[a * d + b] - n0 * mu0[a] * mu0[b] - n1 * mu1[a] * mu1[b];
                    double v = (1 - LDA_SHRINKAGE) * within / dof + (a == b ? LDA_SHRINKAGE : 0.0);
                    cov[a * d + b] = v;
                    cov[b * d + a] = v;
                }
            }
            Cholesky.solve(cov, diff, w, d);
            double threshold = 0;
            for (int a = 0; a < d; a++) {
                threshold += w[a] * 0.5 * (mu0[a] + mu1[a]);
            }
            for (int i = 0; i < size; i++) {
                if (fold[i] != k) {
                    continue;
                }
                double score = -threshold;
                int o = i * cols;
                for (int a = 0; a < d; a++) {
                    score += w[a] * data[o + a];
                }
                boolean saysY = score > 0;
                if (score == 0) {
                    errors += 0.5;
                } else if (saysY != (i >= half)) {
                    errors += 1;
                }
            }
        }
        return errors / size;
    }

    /**
     * The balanced, standardised problem both classifiers solve: the larger side subsampled
     * (seeded) to the smaller's size {@code half}, rows laid out row-major with {@code cols = d +
     * 1} columns (the last left free for an intercept), X rows first, and position t of each side
     * dealt to fold {@code t mod folds}.
     */
    private record Balanced(double[] data, int[] fold, int half, int size, int cols) {}

    private static Balanced balanced(double[][] x, double[][] y, int d, int folds, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int half = Math.min(x.length, y.length);
        int[] xi = balancedOrder(x.length, half, random);
        int[] yi = balancedOrder(y.length, half, random);
        int size = 2 * half;
        int cols = d + 1;
        double[] data = new double[size * cols];
        int[] fold = new int[size];
        for (int t = 0; t < half; t++) {
            System.arraycopy(x[xi[t]], 0, data, t * cols, d);
            System.arraycopy(y[yi[t]], 0, data, (half + t) * cols, d);
            // Both orders are random, so dealing position t to fold t mod k stratifies the folds.
            fold[t] = t % folds;
            fold[half + t] = t % folds;
        }
        standardise(data, size, d);
        return new Balanced(data, fold, half, size, cols);
    }

    /** A uniformly shuffled selection of {@code keep} of the indices [0, n). */
    private static int[] balancedOrder(int n, int keep, SplittableRandom random) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        for (int t = 0; t < keep; t++) {
            int j = t + random.nextInt(n - t);
            int tmp = idx[t];
            idx[t] = idx[j];
            idx[j] = tmp;
        }
        return java.util.Arrays.copyOf(idx, keep);
    }

    private static void standardise(double[] data, int size, int d) {
        int cols = d + 1;
        for (int f = 0; f < d; f++) {
            double mean = 0;
            for (int i = 0; i < size; i++) {
                mean += data[i * cols + f];
            }
            mean /= size;
            double ss = 0;
            for (int i = 0; i < size; i++) {
                double v = data[i * cols + f] - mean;
                ss += v * v;
            }
            double sd = Math.sqrt(ss / size);
            // A feature that is constant on the pooled sample cannot separate; zero it.
            double inv = sd > 0 && Double.isFinite(1.0 / sd) ? 1.0 / sd : 0.0;
            for (int i = 0; i < size; i++) {
                data[i * cols + f] = (data[i * cols + f] - mean) * inv;
            }
        }
    }

    static double dot(double[] data, int offset, double[] beta, int cols) {
        double s = 0;
        for (int c = 0; c < cols; c++) {
            s += data[offset + c] * beta[c];
        }
        return s;
    }

    /** Numerically safe log(1 + exp(eta)). */
    static double softplus(double eta) {
        return eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
    }

    /** Newton's method for L2-regularised logistic regression, reusing its buffers. */
    static final class Newton {
        private final int cols;
        private final double[] grad;
        private final double[] hess;
        private final double[] step;
        private final double[] trial;
        // The training rows of the current fold, packed in their original order, and the linear
        // predictors at beta (eta) and at the trial point (etaTrial); grown on demand.
        private double[] train = new double[0];
        private double[] y = new double[0];
        private double[] eta = new double[0];
        private double[] etaTrial = new double[0];

        Newton(int cols) {
            this.cols = cols;
            this.grad = new double[cols];
            this.hess = new double[cols * cols];
            this.step = new double[cols];
            this.trial = new double[cols];
        }

        /** Fits on rows whose fold differs from {@code skip}; beta is the warm start and result. */
        void fit(
                double[] data,
                double[] label,
                int[] fold,
                int skip,
                int size,
                double lambda,
                double[] beta) {
            final int cols = this.cols;
            int nTrain = 0;
            for (int i = 0; i < size; i++) {
                if (fold[i] != skip) {
                    nTrain++;
                }
            }
            if (y.length < nTrain) {
                train = new double[nTrain * cols];
                y = new double[nTrain];
                eta = new double[nTrain];
                etaTrial = new double[nTrain];
            }
            // Packing keeps the row order, so every sum below runs in the same order as over
            // the unpacked rows and the fit is unchanged; the loops lose the fold test.
            final double[] x = train;
            int t = 0;
            for (int i = 0; i < size; i++) {
                if (fold[i] != skip) {
                    System.arraycopy(data, i * cols, x, t * cols, cols);
                    y[t] = label[i];
                    t++;
                }
            }
            double invN = 1.0 / nTrain;
            double loss = loss(nTrain, lambda, beta, invN, eta);
            for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
                java.util.Arrays.fill(grad, 0.0);
                java.util.Arrays.fill(hess, 0.0);
                // eta at the current beta comes from the accepted loss evaluation. Rows are
                // taken four at a time: each gradient and Hessian entry still adds the rows'
                // terms one after another in row order, with one load and store per four.
                int i = 0;
                for (; i + 3 < nTrain; i += 4) {
                    double p0 = 1.0 / (1.0 + Math.exp(-eta[i]));
                    double p1 = 1.0 / (1.0 + Math.exp(-eta[i + 1]));
                    double p2 = 1.0 / (1.0 + Math.exp(-eta[i + 2]));
                    double p3 = 1.0 / (1.0 + Math.exp(-eta[i + 3]));
                    double r0 = p0 - y[i];
                    double r1 = p1 - y[i + 1];
                    double r2 = p2 - y[i + 2];
                    double r3 = p3 - y[i + 3];
                    double v0 = p0 * (1.0 - p0);
                    double v1 = p1 * (1.0 - p1);
                    double v2 = p2 * (1.0 - p2);
                    double v3 = p3 * (1.0 - p3);
                    int o0 = i * cols;
                    int o1 = o0 + cols;
                    int o2 = o1 + cols;
                    int o3 = o2 + cols;
                    for (int a = 0; a < cols; a++) {
                        double x0 = x[o0 + a];
                        double x1 = x[o1 + a];
                        double x2 = x[o2 + a];
                        double x3 = x[o3 + a];
                        grad[a] = grad[a] + r0 * x0 + r1 * x1 + r2 * x2 + r3 * x3;
                        double vx0 = v0 * x0;
                        double vx1 = v1 * x1;
                        double vx2 = v2 * x2;
                        double vx3 = v3 * x3;
                        int ha = a * cols;
                        // Upper triangle only; mirrored below.
                        for (int b = a; b < cols; b++) {
                            hess[ha + b] =
                                    hess[ha + b]
                                            + vx0 * x[o0 + b]
                                            + vx1 * x[o1 + b]
                                            + vx2 * x[o2 + b]
                                            + vx3 * x[o3 + b];
                        }
                    }
                }
                for (; i < nTrain; i++) {
                    int off = i * cols;
                    double p = 1.0 / (1.0 + Math.exp(-eta[i]));
                    double r = p - y[i];
                    double v = p * (1.0 - p);
                    for (int a = 0; a < cols; a++) {
                        double xa = x[off + a];
                        grad[a] += r * xa;
                        double vx = v * xa;
                        int ha = a * cols;
                        for (int b = a; b < cols; b++) {
                            hess[ha + b] += vx * x[off + b];
                        }
                    }
                }
                for (int a = 0; a < cols; a++) {
                    grad[a] *= invN;
                    for (int b = a; b < cols; b++) {
                        hess[a * cols + b] *= invN;
                        hess[b * cols + a] = hess[a * cols + b];
                    }
                }
                int last = cols - 1;
                for (int a = 0; a < last; a++) {
                    grad[a] += lambda * beta[a];
                    hess[a * cols + a] += lambda;
                }
                // The unpenalised intercept's curvature vanishes under separation; keep H definite.
                hess[last * cols + last] += 1e-10;
                Cholesky.solve(hess, grad, step, cols);
                double tStep = 1.0;
                double newLoss = Double.POSITIVE_INFINITY;
                for (int halving = 0; halving < 30; halving++) {
                    for (int a = 0; a < cols; a++) {
                        trial[a] = beta[a] - tStep * step[a];
                    }
                    newLoss = loss(nTrain, lambda, trial, invN, etaTrial);
                    if (newLoss <= loss) {
                        break;
                    }
                    tStep *= 0.5;
                }
                if (!(newLoss <= loss)) {
                    return;
                }
                double[] swap = eta;
                eta = etaTrial;
                etaTrial = swap;
                double maxStep = 0;
                for (int a = 0; a < cols; a++) {
                    maxStep = Math.max(maxStep, Math.abs(trial[a] - beta[a]));
                    beta[a] = trial[a];
                }
                boolean converged = maxStep < STEP_TOLERANCE || loss - newLoss < 1e-14 * loss;
                loss = newLoss;
                if (converged) {
                    return;
                }
            }
        }

        /** Penalised mean log-loss at beta over the packed rows; writes each row's eta. */
        private double loss(int nTrain, double lambda, double[] beta, double invN, double[] etaOut) {
            final double[] x = train;
            double s = 0;
            for (int i = 0; i < nTrain; i++) {
                double e = dot(x, i * cols, beta, cols);
                etaOut[i] = e;
                s += softplus(e) - y[i] * e;
            }
            double reg = 0;
            for (int a = 0; a < cols - 1; a++) {
                reg += beta[a] * beta[a];
            }
            return s * invN + 0.5 * lambda * reg;
        }
    }
}
