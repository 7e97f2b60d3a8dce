package io.driftguard.bench;

import java.util.Arrays;
import moa.classifiers.core.driftdetection.ADWINChangeDetector;
import moa.classifiers.core.driftdetection.AbstractChangeDetector;
import moa.classifiers.core.driftdetection.DDM;
import moa.classifiers.core.driftdetection.PageHinkleyDM;

/**
 * A MOA change detector per feature, fed record by record with MOA's default options; a window is
 * flagged when any feature's detector signals a change inside it.
 *
 * <p>What each detector reads, per feature:
 *
 * <ul>
 *   <li>ADWIN: the raw value.
 *   <li>PageHinkleyDM: the value standardised by the mean and standard deviation of the first
 *       window (after the stream start or the last flag); MOA's Page-Hinkley detects increases
 *       only, so two run per feature, on {@code z} and on {@code -z}.
 *   <li>DDM, which expects a 0/1 error stream: the binarised exceedance {@code 1} when the value
 *       falls outside the central 90 % interval (5 % and 95 % quantiles) of that first window,
 *       else {@code 0}; under no change its rate is 0.1, and DDM flags a significant rise of it.
 * </ul>
 *
 * <p>Only instantiated when {@link MoaBaselines#available()}; load no MOA class otherwise.
 */
final class MoaFeatureDetector implements WindowDetector {

    /** The MOA detector used. */
    enum Kind {
        ADWIN("moa-adwin"),
        PAGE_HINKLEY("moa-pagehinkley"),
        DDM("moa-ddm");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private final Kind kind;
    private AbstractChangeDetector[] detectors;
    private double[] center;
    private double[] scale;
    private double[] low;
    private double[] high;
    private boolean needsBaseline = true;

    MoaFeatureDetector(Kind kind) {
        this.kind = kind;
    }

    @Override
    public String name() {
        return kind.label;
    }

    @Override
    public Decision onWindow(double[][] window) {
        int d = window[0].length;
        if (detectors == null) {
            int perFeature = kind == Kind.PAGE_HINKLEY ? 2 : 1;
            detectors = new AbstractChangeDetector[d * perFeature];
            for (int i = 0; i < detectors.length; i++) {
                detectors[i] = newDetector();
            }
        }
        if (needsBaseline) {
            learnBaseline(window);
            needsBaseline = false;
        }
        int fired = -1;
        for (double[] row : window) {
            for (int f = 0; f < d; f++) {
                switch (kind) {
                    case ADWIN -> {
                        if (feed(f, row[f]) && fired < 0) {
                            fired = f;
                        }
                    }
                    case PAGE_HINKLEY -> {
                        double z = (row[f] - center[f]) / scale[f];
                        boolean up = feed(2 * f, z);
                        boolean down = feed(2 * f + 1, -z);
                        if ((up || down) && fired < 0) {
                            fired = f;
                        }
                    }
                    case DDM -> {
                        double e = row[f] < low[f] || row[f] > high[f] ? 1.0 : 0.0;
                        if (feed(f, e) && fired < 0) {
                            fired = f;
                        }
                    }
                }
            }
        }
        if (fired >= 0) {
            needsBaseline = true;
            for (AbstractChangeDetector det : detectors) {
                det.resetLearning();
            }
            return new Decision(true, fired, -1);
        }
        return Decision.NONE;
    }

    private boolean feed(int i, double x) {
        detectors[i].input(x);
        return detectors[i].getChange();
    }

    private AbstractChangeDetector newDetector() {
        AbstractChangeDetector det =
                switch (kind) {
                    case ADWIN -> new ADWINChangeDetector();
                    case PAGE_HINKLEY -> new PageHinkleyDM();
                    case DDM -> new DDM();
                };
        det.prepareForUse();
        return det;
    }

    private void learnBaseline(double[][] window) {
        int d = window[0].length;
        int n = window.length;
        center = new double[d];
        scale = new double[d];
        low = new double[d];
        high = new double[d];
        double[] col = new double[n];
        for (int f = 0; f < d; f++) {
            double sum = 0;
            double sq = 0;
            for (int r = 0; r < n; r++) {
                col[r] = window[r][f];
                sum += col[r];
                sq += col[r] * col[r];
            }
            double mean = sum / n;
            double var = Math.max(0.0, sq / n - mean * mean);
            center[f] = mean;
            scale[f] = var > 0 ? Math.sqrt(var) : 1.0;
            Arrays.sort(col);
            low[f] = col[(int) Math.floor(0.05 * (n - 1))];
            high[f] = col[(int) Math.ceil(0.95 * (n - 1))];
        }
    }
}
