package io.driftguard.operators.bench;

import java.util.Random;

/** Seeded Gaussian data for the benchmarks. */
final class BenchData {
    private BenchData() {}

    static double[][] gaussian(int n, int d, double shift, long seed) {
        Random r = new Random(seed);
        double[][] out = new double[n][d];
        for (double[] row : out) {
            for (int f = 0; f < d; f++) {
                row[f] = r.nextGaussian() + shift;
            }
        }
        return out;
    }
}
