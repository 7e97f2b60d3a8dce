package io.driftguard.operators.stats;

/**
 * The pooled sample Z = X u Y (X first), centred by its mean, in a layout for fast pairwise
 * squared distances: ||z_i - z_j||^2 = ||z_i||^2 + ||z_j||^2 - 2 z_i . z_j.
 *
 * <p>Centring matters: the expansion cancels catastrophically when the points lie far from the
 * origin compared to their spread; distances are translation invariant, so centring changes
 * nothing else. Negative results of rounding are clamped to 0.
 */
final class PooledData {
    final int m;
    final int n;
    final int size;
    final int dim;
    /** Row-major centred data, size x dim. */
    final double[] rows;
    /** Transposed centred data: feature f of point j at cols[f][j]. */
    final double[][] cols;
    /** Squared norms of the centred points. */
    final double[] norms;

    private PooledData(double[][] x, int[] xIdx, double[][] y, int[] yIdx, int dim) {
        this.m = xIdx == null ? x.length : xIdx.length;
        this.n = yIdx == null ? y.length : yIdx.length;
        this.size = m + n;
        this.dim = dim;
        this.rows = new double[size * dim];
        for (int i = 0; i < m; i++) {
            System.arraycopy(x[xIdx == null ? i : xIdx[i]], 0, rows, i * dim, dim);
        }
        for (int i = 0; i < n; i++) {
            System.arraycopy(y[yIdx == null ? i : yIdx[i]], 0, rows, (m + i) * dim, dim);
        }
        double[] mean = new double[dim];
        for (int i = 0; i < size; i++) {
            for (int f = 0; f < dim; f++) {
                mean[f] += rows[i * dim + f];
            }
        }
        for (int f = 0; f < dim; f++) {
            mean[f] /= size;
        }
        this.cols = new double[dim][size];
        this.norms = new double[size];
        for (int i = 0; i < size; i++) {
            double s = 0;
            for (int f = 0; f < dim; f++) {
                double v = rows[i * dim + f] - mean[f];
                rows[i * dim + f] = v;
                cols[f][i] = v;
                s += v * v;
            }
            norms[i] = s;
        }
    }

    /** Pools x and y (validated by the caller). */
    static PooledData of(double[][] x, double[][] y) {
        return new PooledData(x, null, y, null, x[0].length);
    }

    /** Pools the selected rows of x and y (validated by the caller). */
    static PooledData of(double[][] x, int[] xIdx, double[][] y, int[] yIdx) {
        return new PooledData(x, xIdx, y, yIdx, x[0].length);
    }

    /** Writes ||z_i - z_j||^2 into out[j] for j in [from, to). */
    void squaredDistances(int i, int from, int to, double[] out) {
        final int d = dim;
        final int base = i * d;
        double x0 = rows[base];
        double[] c0 = cols[0];
        for (int j = from; j < to; j++) {
            out[j] = x0 * c0[j];
        }
        int f = 1;
        for (; f + 1 < d; f += 2) {
            double xa = rows[base + f];
            double xb = rows[base + f + 1];
            double[] ca = cols[f];
            double[] cb = cols[f + 1];
            for (int j = from; j < to; j++) {
                out[j] += xa * ca[j] + xb * cb[j];
            }
        }
        for (; f < d; f++) {
            double xa = rows[base + f];
            double[] ca = cols[f];
            for (int j = from; j < to; j++) {
                out[j] += xa * ca[j];
            }
        }
        double ni = norms[i];
        for (int j = from; j < to; j++) {
            out[j] = Math.max(0.0, ni + norms[j] - 2.0 * out[j]);
        }
    }
}
