package io.driftguard.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded synthetic streams with known change points: 4 features, 200 records per window.
 *
 * <p>Change suites alternate between the base regime and a changed one, switching first at window
 * {@link #FIRST_CHANGE} and then every {@link #CHANGE_EVERY} windows (every switch, forth or back,
 * is a change); in stream {@code s} the changed feature is {@code s mod 4}. Base regime: independent
 * standard normal features (AR(1) for {@link #AR1_LEVEL}). Null suites have no change.
 */
public enum SyntheticSuite {
    /** Mean of one feature +0.6 standard deviations. */
    MEAN_SHIFT("mean-shift", true, true),
    /** Variance of one feature doubled (standard deviation x sqrt 2). */
    VARIANCE("variance-x2", true, true),
    /** Correlation of one pair of features 0 -> 0.9; both marginals stay standard normal. */
    CORRELATION("correlation", true, false),
    /**
     * One feature becomes bimodal with the same mean and variance: an equal mixture of N(-0.95,
     * 0.312^2) and N(0.95, 0.312^2).
     */
    BIMODAL("bimodal", true, true),
    /** Mean of one feature moves by 1.2 standard deviations linearly over 6 windows. */
    GRADUAL("gradual", true, true),
    /**
     * Three recurring regimes A B A C A B ...: A base; B features 0 and 1 shifted by +0.5; C
     * feature 3 scaled by 1.5 and feature 2 by 0.7.
     */
    RECURRING("recurring", true, false),
    /**
     * AR(1) features (phi 0.9, unit marginal variance, continuing across windows); the level of
     * one feature moves by 2 marginal standard deviations.
     */
    AR1_LEVEL("ar1-level-shift", true, true),
    /** Null: independent standard normal records. */
    NULL_IID("null-iid", false, false),
    /** Null: AR(1) features, phi 0.9, unit marginal variance. */
    NULL_AR1("null-ar1", false, false),
    /** Null: independent Student-t features with 3 degrees of freedom. */
    NULL_T3("null-t3", false, false),
    /**
     * Null: standard normal noise plus a sine season of amplitude 1 and period {@link #SEASON}
     * windows (phase shifted per feature); detectors that can use a reference season get it.
     */
    NULL_SEASONAL("null-seasonal", false, false);

    public static final int DIMS = 4;
    public static final int WINDOW = 200;
    public static final int FIRST_CHANGE = 60;
    public static final int CHANGE_EVERY = 60;
    public static final int SEASON = 12;
    static final double PHI = 0.9;
    static final double GRADUAL_WINDOWS = 6;

    private final String label;
    private final boolean hasChanges;
    private final boolean singleFeature;

    SyntheticSuite(String label, boolean hasChanges, boolean singleFeature) {
        this.label = label;
        this.hasChanges = hasChanges;
        this.singleFeature = singleFeature;
    }

    public String label() {
        return label;
    }

    public boolean hasChanges() {
        return hasChanges;
    }

    /** Whether each change moves exactly one feature (so that attribution can be checked). */
    public boolean singleFeature() {
        return singleFeature;
    }

    /** The season in windows a detector may use as reference, or 0. */
    public int season() {
        return this == NULL_SEASONAL ? SEASON : 0;
    }

    /** The change windows of a stream of {@code windows} windows. */
    public int[] changeWindows(int windows) {
        if (!hasChanges) {
            return new int[0];
        }
        List<Integer> cps = new ArrayList<>();
        for (int c = FIRST_CHANGE; c <= windows - 10; c += CHANGE_EVERY) {
            cps.add(c);
        }
        return cps.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Stream {@code index} of this suite: {@code windows} windows, seeded by {@code seed}. */
    public SyntheticStream generate(int windows, int index, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + ordinal() * 7919L + index);
        int feature = index % DIMS;
        int[] cps = changeWindows(windows);
        double[][][] out = new double[windows][WINDOW][DIMS];
        double[] ar = new double[DIMS];
        for (int f = 0; f < DIMS; f++) {
            ar[f] = gaussian(rnd);
        }
        double innovation = Math.sqrt(1 - PHI * PHI);
        for (int w = 0; w < windows; w++) {
            int seg = segment(cps, w);
            double progress = progress(cps, w);
            for (int r = 0; r < WINDOW; r++) {
                double[] x = out[w][r];
                for (int f = 0; f < DIMS; f++) {
                    switch (this) {
                        case NULL_AR1, AR1_LEVEL -> {
                            ar[f] = PHI * ar[f] + innovation * gaussian(rnd);
                            x[f] = ar[f];
                        }
                        case NULL_T3 -> x[f] = studentT3(rnd);
                        default -> x[f] = gaussian(rnd);
                    }
                }
                long t = (long) w * WINDOW + r;
                applyRegime(x, seg, progress, feature, t, rnd);
            }
        }
        int[] shifted = new int[cps.length];
        for (int i = 0; i < cps.length; i++) {
            shifted[i] = singleFeature ? feature : -1;
        }
        return new SyntheticStream(this, index, out, cps, shifted);
    }

    private void applyRegime(
            double[] x, int seg, double progress, int f, long t, SplittableRandom rnd) {
        boolean changed = seg % 2 == 1;
        switch (this) {
            case MEAN_SHIFT -> x[f] += changed ? 0.6 : 0.0;
            case VARIANCE -> x[f] *= changed ? Math.sqrt(2.0) : 1.0;
            case CORRELATION -> {
                if (changed) {
                    int g = (f + 1) % DIMS;
                    x[g] = 0.9 * x[f] + Math.sqrt(1 - 0.81) * x[g];
                }
            }
            case BIMODAL -> {
                if (changed) {
                    double a = 0.95;
                    double s = Math.sqrt(1 - a * a);
                    x[f] = (rnd.nextBoolean() ? a : -a) + s * x[f];
                }
            }
            case GRADUAL -> {
                // progress: 0..1 share of the way into the changed regime
                x[f] += 1.2 * progress;
            }
            case RECURRING -> {
                if (seg % 2 == 1) {
                    if ((seg / 2) % 2 == 0) {
                        x[0] += 0.5;
                        x[1] += 0.5;
                    } else {
                        x[3] *= 1.5;
                        x[2] *= 0.7;
                    }
                }
            }
            case AR1_LEVEL -> x[f] += changed ? 2.0 : 0.0;
            case NULL_SEASONAL -> {
                for (int g = 0; g < DIMS; g++) {
                    x[g] += Math.sin(2 * Math.PI * t / ((double) SEASON * WINDOW) + g * 0.7);
                }
            }
            default -> {}
        }
    }

    private static int segment(int[] cps, int w) {
        int seg = 0;
        while (seg < cps.length && w >= cps[seg]) {
            seg++;
        }
        return seg;
    }

    /** For the gradual suite: how far window {@code w} is into the changed regime, 0..1. */
    private static double progress(int[] cps, int w) {
        double level = 0.0;
        for (int i = 0; i < cps.length; i++) {
            if (w < cps[i]) {
                break;
            }
            double step = Math.min(1.0, (w - cps[i] + 1) / GRADUAL_WINDOWS);
            level = i % 2 == 0 ? step : 1.0 - step;
        }
        return level;
    }

    static double gaussian(SplittableRandom rnd) {
        // Marsaglia polar method
        while (true) {
            double u = 2 * rnd.nextDouble() - 1;
            double v = 2 * rnd.nextDouble() - 1;
            double s = u * u + v * v;
            if (s > 0 && s < 1) {
                return u * Math.sqrt(-2 * Math.log(s) / s);
            }
        }
    }

    static double studentT3(SplittableRandom rnd) {
        double z = gaussian(rnd);
        double chi = 0;
        for (int i = 0; i < 3; i++) {
            double g = gaussian(rnd);
            chi += g * g;
        }
        return z / Math.sqrt(chi / 3);
    }

    /** Parses a suite label. */
    public static SyntheticSuite byLabel(String label) {
        for (SyntheticSuite s : values()) {
            if (s.label.equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown synthetic suite " + label);
    }
}
