package io.driftguard.operators.functions;

import io.driftguard.operators.detect.ChangeBlocks;
import io.driftguard.operators.detect.PooledReferenceDetector;
import io.driftguard.operators.record.SeriesRecord;
import io.driftguard.operators.sketch.MomentsSketch;
import java.util.List;

/**
 * Where inside a window a change began: each open window's {@link ChangeBlocks}, fed per record
 * against the per-feature mean and scale of the key's reference ({@link KeyMeta#refMean}, {@link
 * KeyMeta#refInvSd}), which this class also sets when the reference changes. O(d) per record (O(d
 * m) with a delay embedding of dimension m), no allocation.
 */
final class ChangeLocation {

    private ChangeLocation() {}

    /**
     * A window's blocks: with the dynamics channel when the key's records are delay-embedded, so
     * that a change of frequency or shape is located too.
     */
    static double[] newBlocks(KeyMeta m, LagEmbedding e) {
        return ChangeBlocks.create(e.enabled() && m.dimension % e.dimension() == 0);
    }

    /** Adds record {@code r} to block {@code block} of {@code blocks}. */
    static void add(double[] blocks, int block, KeyMeta m, SeriesRecord r, LagEmbedding e) {
        double[] x = r.features();
        double y = 0.0;
        if (ChangeBlocks.hasDynamics(blocks)) {
            int lags = e.dimension();
            y = ChangeBlocks.increments(x, m.refMean, m.refInvSd, m.dimension / lags, lags);
        }
        ChangeBlocks.add(blocks, block, ChangeBlocks.distance(x, m.refMean, m.refInvSd), y, r.ts());
    }

    /** The reference is the window just closed (every policy but {@code fixed}). */
    static void referenceFrom(KeyMeta m, MomentsSketch window) {
        m.refMean = window.means();
        m.refInvSd = new double[m.dimension];
        for (int f = 0; f < m.dimension; f++) {
            double sd = Math.sqrt(window.variance(f));
            m.refInvSd[f] = sd > 0 && Double.isFinite(sd) ? 1.0 / sd : 1.0;
        }
    }

    /**
     * The reference is the {@code fixed} policy's pooled windows (set when it completes); missing
     * values (NaN) are skipped per feature.
     */
    static void referenceFrom(KeyMeta m, List<PooledReferenceDetector.Window> windows) {
        int d = m.dimension;
        double[] mean = new double[d];
        double[] ss = new double[d];
        long[] n = new long[d];
        for (PooledReferenceDetector.Window win : windows) {
            for (double[] r : win.rows()) {
                for (int f = 0; f < d; f++) {
                    if (r[f] != r[f]) {
                        continue;
                    }
                    n[f]++;
                    double delta = r[f] - mean[f];
                    mean[f] += delta / n[f];
                    ss[f] += delta * (r[f] - mean[f]);
                }
            }
        }
        double[] inv = new double[d];
        for (int f = 0; f < d; f++) {
            double sd = n[f] > 1 ? Math.sqrt(ss[f] / (n[f] - 1)) : 0.0;
            inv[f] = sd > 0 && Double.isFinite(sd) ? 1.0 / sd : 1.0;
        }
        m.refMean = mean;
        m.refInvSd = inv;
    }
}
