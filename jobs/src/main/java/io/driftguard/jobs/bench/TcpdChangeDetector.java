package io.driftguard.jobs.bench;

import io.driftguard.operators.detect.Segmentation;
import io.driftguard.operators.detect.Segmentation.Cost;
import io.driftguard.operators.detect.Segmentation.Penalty;
import io.driftguard.operators.detect.Segmentation.Search;

/**
 * Offline segmentation of whole short series (TCPD), one configuration for every series.
 *
 * <p>TCPD series are short (15 to 816 records) and scored offline, so they are segmented whole by
 * {@link Segmentation} rather than by the windowed streaming detector: binary segmentation with
 * at most {@value #MAX_CHANGES} change points, a Gaussian change-in-mean cost per dimension on
 * standardised dimensions, the MBIC penalty and segments of at least {@value #MIN_SEGMENT}
 * record. This is the default binary segmentation of the TCPD benchmark (R changepoint {@code
 * cpt.mean}, Normal statistic, MBIC, {@code Q = 5}, on series scaled per dimension), extended to
 * several dimensions by summing the per-dimension costs. A change point is reported as the index
 * of the first record of the new segment.
 */
public final class TcpdChangeDetector {

    static final int MAX_CHANGES = 5;
    static final int MIN_SEGMENT = 1;

    private static final Segmentation SEGMENTATION =
            new Segmentation(Cost.MEAN, Penalty.MBIC, Search.BINARY, MIN_SEGMENT, MAX_CHANGES);

    /** The configuration, stated for reports. */
    public static String describe() {
        return SEGMENTATION.describe();
    }

    /** The 0-based change indices found in {@code x[record][dimension]}. */
    public int[] detect(double[][] x) {
        return SEGMENTATION.changePoints(x);
    }
}
