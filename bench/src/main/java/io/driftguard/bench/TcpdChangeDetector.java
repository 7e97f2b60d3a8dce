package io.driftguard.bench;

import io.driftguard.operators.detect.Segmentation.Cost;
import io.driftguard.operators.detect.Segmentation.Penalty;
import io.driftguard.operators.detect.Segmentation.Search;
import io.driftguard.operators.detect.Segmentation.SplitRange;
import io.driftguard.operators.detect.Segmentation;

/**
 * Offline segmentation of whole short series (TCPD), one configuration for every series.
 *
 * <p>TCPD series are short (15 to 816 records) and scored offline, so they are segmented whole by
 * {@link Segmentation} rather than by the windowed streaming detector: binary segmentation with
 * at most {@value #MAX_CHANGES} change points, a Gaussian change-in-mean cost per dimension on
 * standardised dimensions, the MBIC penalty, segments of at least {@value #MIN_SEGMENT} record
 * and the split range of the R changepoint package's {@code BinSeg}. This is the default binary
 * segmentation of the TCPD benchmark (R changepoint {@code cpt.mean}, Normal statistic, MBIC,
 * {@code Q = 5}, {@code minseglen = 1}, on series scaled per dimension), extended to several
 * dimensions by summing the per-dimension costs.
 *
 * <p><b>Index convention.</b> As in the benchmark's published results, a change is reported as
 * the 0-based index of the last record before it: a change between records {@code i} and {@code
 * i + 1} is reported as {@code i} (the changepoint package's 1-based {@code cpts} minus one).
 * Reported indices lie in {@code 1 .. n - 4}.
 */
public final class TcpdChangeDetector {

    static final int MAX_CHANGES = 5;
    static final int MIN_SEGMENT = 1;

    private static final Segmentation SEGMENTATION =
            new Segmentation(
                    Cost.MEAN,
                    Penalty.MBIC,
                    Search.BINARY,
                    MIN_SEGMENT,
                    MAX_CHANGES,
                    SplitRange.CHANGEPOINT_PACKAGE);

    /** The configuration, stated for reports. */
    public static String describe() {
        return SEGMENTATION.describe()
                + "; a change is reported as the 0-based index of the last record before it";
    }

    /**
     * The changes found in {@code x[record][dimension]}, each as the 0-based index of the last
     * record before it, increasing.
     */
    public int[] detect(double[][] x) {
        int[] starts = SEGMENTATION.changePoints(x);
        int[] out = new int[starts.length];
        for (int i = 0; i < starts.length; i++) {
            out[i] = starts[i] - 1;
        }
        return out;
    }
}
