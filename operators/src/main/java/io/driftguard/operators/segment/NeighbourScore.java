package io.driftguard.operators.segment;

import java.util.ArrayList;
import java.util.List;

/**
 * A classifier two-sample score between two adjacent segments of embedded points (the proxy
 * A-distance idea that ClaSP, Ermshaus, Schaefer and Leser 2023, uses over subsequences): each
 * point of the two segments is labelled by the side it lies on and predicted by the majority label
 * of its {@value #K} nearest neighbours (Euclidean distance on the embedded points) among the
 * points of both segments, leaving out the points within {@value #EXCLUSION} positions of it
 * (those share values or dynamics with it through the series' own dependence, ClaSP's exclusion
 * zone). The score is the balanced accuracy of these leave-out predictions: about 0.5 when both
 * sides come from one process, up to 1 when every point's neighbours lie on its own side.
 *
 * <p>Each side is thinned by a uniform stride to at most {@value #MAX_SIDE} points, so one score
 * costs at most O((2 MAX_SIDE)^2 D).
 *
 * <p>{@link #merge} prunes an over-segmentation: while the weakest change scores below the
 * threshold, it is removed and the scores of its neighbours recomputed.
 */
public final class NeighbourScore {

    /** Neighbours voting. */
    public static final int K = 3;

    /** Points within this many positions of a point are not its neighbours. */
    public static final int EXCLUSION = 2;

    /** Points per side at most. */
    public static final int MAX_SIDE = 300;

    private NeighbourScore() {}

    /** Balanced k-NN accuracy between points [a, c) and [c, b) of {@code flat} (count x dim). */
    static double score(double[] flat, int dim, int a, int c, int b) {
        int[] left = thin(a, c);
        int[] right = thin(c, b);
        int nl = left.length;
        int size = nl + right.length;
        int[] idx = new int[size];
        System.arraycopy(left, 0, idx, 0, nl);
        System.arraycopy(right, 0, idx, nl, right.length);
        int[] correct = new int[2];
        double[] bestD = new double[K];
        int[] bestL = new int[K];
        for (int u = 0; u < size; u++) {
            int i = idx[u];
            int found = 0;
            for (int v = 0; v < size; v++) {
                int j = idx[v];
                if (Math.abs(i - j) <= EXCLUSION) {
                    continue;
                }
                double d2 = 0;
                int oi = i * dim;
                int oj = j * dim;
                for (int k = 0; k < dim; k++) {
                    double diff = flat[oi + k] - flat[oj + k];
                    d2 += diff * diff;
                }
                int label = v < nl ? 0 : 1;
                // insertion into the K nearest so far: a new slot while fewer than K, else the
                // farthest one's when this is nearer
                int p;
                if (found < K) {
                    p = found++;
                } else if (d2 < bestD[K - 1]) {
                    p = K - 1;
                } else {
                    continue;
                }
                while (p > 0 && bestD[p - 1] > d2) {
                    bestD[p] = bestD[p - 1];
                    bestL[p] = bestL[p - 1];
                    p--;
                }
                bestD[p] = d2;
                bestL[p] = label;
            }
            if (found == 0) {
                continue;
            }
            int ones = 0;
            for (int k = 0; k < found; k++) {
                ones += bestL[k];
            }
            int predicted = 2 * ones > found ? 1 : 0;
            int truth = u < nl ? 0 : 1;
            if (predicted == truth) {
                correct[truth]++;
            }
        }
        return 0.5 * ((double) correct[0] / nl + (double) correct[1] / right.length);
    }

    private static int[] thin(int from, int to) {
        int len = to - from;
        int keep = Math.min(len, MAX_SIDE);
        int[] out = new int[keep];
        for (int i = 0; i < keep; i++) {
            out[i] = from + (int) ((long) i * len / keep);
        }
        return out;
    }

    /**
     * The changes (segment starts among {@code count} points) left after removing, weakest first,
     * every change whose margin, its score less {@code allowance / sqrt(L)} (L the points on its
     * smaller side, at most {@value #MAX_SIDE}: the noise of a balanced accuracy over L points
     * is about 0.5 / sqrt(L)), is below {@code threshold}; returns the kept starts and their raw
     * scores.
     */
    static double[][] merge(
            double[] flat, int dim, int count, int[] starts, double threshold, double allowance) {
        List<Integer> cps = new ArrayList<>();
        for (int s : starts) {
            cps.add(s);
        }
        List<Double> scores = new ArrayList<>();
        for (int k = 0; k < cps.size(); k++) {
            scores.add(scoreAt(flat, dim, count, cps, k, allowance));
        }
        while (!cps.isEmpty()) {
            int weakest = 0;
            for (int k = 1; k < cps.size(); k++) {
                if (scores.get(k) < scores.get(weakest)) {
                    weakest = k;
                }
            }
            if (scores.get(weakest) >= threshold) {
                break;
            }
            cps.remove(weakest);
            scores.remove(weakest);
            if (weakest - 1 >= 0) {
                scores.set(weakest - 1, scoreAt(flat, dim, count, cps, weakest - 1, allowance));
            }
            if (weakest < cps.size()) {
                scores.set(weakest, scoreAt(flat, dim, count, cps, weakest, allowance));
            }
        }
        double[][] out = new double[2][cps.size()];
        for (int k = 0; k < cps.size(); k++) {
            out[0][k] = cps.get(k);
            out[1][k] = scoreAt(flat, dim, count, cps, k, 0);
        }
        return out;
    }

    private static double scoreAt(
            double[] flat, int dim, int count, List<Integer> cps, int k, double allowance) {
        int a = k == 0 ? 0 : cps.get(k - 1);
        int b = k + 1 < cps.size() ? cps.get(k + 1) : count;
        int c = cps.get(k);
        int small = Math.min(Math.min(c - a, b - c), MAX_SIDE);
        return score(flat, dim, a, c, b) - allowance / Math.sqrt(small);
    }
}
