package io.driftguard.operators.stats;

/** Solves small symmetric positive-definite systems by Cholesky factorisation. */
final class Cholesky {
    private Cholesky() {}

    /**
     * Solves A x = b for symmetric positive-definite A (row-major n x n, overwritten by its factor).
     * Non-positive pivots are floored at a tiny value so that a nearly singular A still yields a
     * finite (regularised) solution.
     */
    static void solve(double[] a, double[] b, double[] x, int n) {
        for (int j = 0; j < n; j++) {
            double s = a[j * n + j];
            for (int k = 0; k < j; k++) {
                s -= a[j * n + k] * a[j * n + k];
            }
            double diag = Math.sqrt(Math.max(s, 1e-300));
            a[j * n + j] = diag;
            for (int i = j + 1; i < n; i++) {
                double t = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    t -= a[i * n + k] * a[j * n + k];
                }
                a[i * n + j] = t / diag;
            }
        }
        for (int i = 0; i < n; i++) {
            double t = b[i];
            for (int k = 0; k < i; k++) {
                t -= a[i * n + k] * x[k];
            }
            x[i] = t / a[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double t = x[i];
            for (int k = i + 1; k < n; k++) {
                t -= a[k * n + i] * x[k];
            }
            x[i] = t / a[i * n + i];
        }
    }
}
