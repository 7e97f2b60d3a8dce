package io.driftguard.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * TCPD's change point metrics (van den Burg and Williams 2020): F1 with a margin and segmentation
 * cover, both against several annotators.
 *
 * <p>Index 0 counts as a change point in every annotation and in the prediction. F1: precision is
 * the share of predicted points that match some point of the union of all annotations (within the
 * margin, each annotated point matched at most once, to its nearest unused prediction); recall is
 * the per-annotator share of matched annotated points, averaged over annotators; F1 their harmonic
 * mean. Cover: for one annotator, the sum over its segments {@code A} of {@code |A| max_{A'}
 * J(A, A')} / n, {@code A'} the predicted segments and {@code J} the Jaccard index; averaged over
 * annotators.
 *
 * <p>The benchmark scores predictions after {@link #clean}: duplicates dropped and only indices
 * {@code 1 .. n - 2} kept ({@code 0} and {@code n - 1} are where several methods place a change
 * by default). {@link #f1} and {@link #cover} score what they are given; clean first to score as
 * the benchmark does.
 */
public final class TcpdMetrics {

    /** The margin of the published benchmark, in records. */
    public static final int DEFAULT_MARGIN = 5;

    private TcpdMetrics() {}

    /**
     * The predictions the benchmark scores: distinct indices in {@code 1 .. n - 2}, increasing.
     */
    public static int[] clean(int[] predictions, int n) {
        TreeSet<Integer> kept = new TreeSet<>();
        for (int p : predictions) {
            if (p >= 1 && p <= n - 2) {
                kept.add(p);
            }
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    /** F1 of {@code predictions} against {@code annotations} (one array per annotator). */
    public static double f1(Collection<int[]> annotations, int[] predictions, int margin) {
        TreeSet<Integer> x = withZero(predictions);
        TreeSet<Integer> union = new TreeSet<>();
        List<TreeSet<Integer>> per = new ArrayList<>();
        for (int[] a : annotations) {
            TreeSet<Integer> t = withZero(a);
            per.add(t);
            union.addAll(t);
        }
        double precision = (double) truePositives(union, x, margin) / x.size();
        double recall = 0;
        for (TreeSet<Integer> t : per) {
            recall += (double) truePositives(t, x, margin) / t.size();
        }
        recall /= per.size();
        return precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
    }

    /** Cover of the segmentation by {@code predictions} of a series of {@code n} records. */
    public static double cover(Collection<int[]> annotations, int[] predictions, int n) {
        int[] predicted = boundaries(predictions, n);
        double total = 0;
        for (int[] a : annotations) {
            int[] truth = boundaries(a, n);
            double c = 0;
            for (int i = 0; i + 1 < truth.length; i++) {
                int s = truth[i];
                int e = truth[i + 1];
                double best = 0;
                for (int j = 0; j + 1 < predicted.length; j++) {
                    int ps = predicted[j];
                    int pe = predicted[j + 1];
                    int inter = Math.max(0, Math.min(e, pe) - Math.max(s, ps));
                    if (inter == 0) {
                        continue;
                    }
                    int union = (e - s) + (pe - ps) - inter;
                    best = Math.max(best, (double) inter / union);
                }
                c += (e - s) * best;
            }
            total += c / n;
        }
        return total / annotations.size();
    }

    private static int truePositives(TreeSet<Integer> truth, TreeSet<Integer> predicted, int margin) {
        TreeSet<Integer> free = new TreeSet<>(predicted);
        int tp = 0;
        for (int tau : truth) {
            Integer lo = free.floor(tau);
            Integer hi = free.ceiling(tau);
            Integer best = null;
            if (lo != null && tau - lo <= margin) {
                best = lo;
            }
            if (hi != null && hi - tau <= margin && (best == null || hi - tau < tau - best)) {
                best = hi;
            }
            if (best != null) {
                free.remove(best);
                tp++;
            }
        }
        return tp;
    }

    private static TreeSet<Integer> withZero(int[] points) {
        TreeSet<Integer> s = new TreeSet<>();
        s.add(0);
        for (int p : points) {
            s.add(p);
        }
        return s;
    }

    /** Segment starts 0 = b_0 < b_1 < ... and the end n, from change points inside (0, n). */
    private static int[] boundaries(int[] cps, int n) {
        TreeSet<Integer> s = new TreeSet<>();
        s.add(0);
        for (int c : cps) {
            if (c > 0 && c < n) {
                s.add(c);
            }
        }
        s.add(n);
        return s.stream().mapToInt(Integer::intValue).toArray();
    }
}
