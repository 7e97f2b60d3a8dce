package io.driftguard.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Window-level detection scores, accumulated over streams.
 *
 * <p>A change at window {@code c} is detected by the first alarm in windows {@code c .. c +
 * tolerance} (and before the next change); its delay is that alarm's window minus {@code c}. Every
 * other alarm is false, repeated alarms for one change included. Precision = detected / alarms (1
 * with no alarm), recall = detected / changes, F1 their harmonic mean (undefined, NaN, for streams
 * without changes). Attribution counts detections of single-feature changes whose top feature is
 * the moved one.
 */
public final class WindowScore {

    /** Default tolerance: a change is detected within 3 windows after the one where it starts. */
    public static final int DEFAULT_TOLERANCE = 3;

    private final int tolerance;
    private long windows;
    private long changes;
    private long alarms;
    private long detected;
    private long attributable;
    private long attributedRight;
    private final List<Integer> delays = new ArrayList<>();

    public WindowScore(int tolerance) {
        this.tolerance = tolerance;
    }

    public WindowScore() {
        this(DEFAULT_TOLERANCE);
    }

    /**
     * Adds one stream.
     *
     * @param totalWindows windows in the stream
     * @param changeWindows change windows, ascending
     * @param shiftedFeature per change, the moved feature or -1
     * @param alarmWindows alarm windows, ascending
     * @param alarmFeatures per alarm, the detector's top feature or -1
     */
    public void add(
            int totalWindows,
            int[] changeWindows,
            int[] shiftedFeature,
            int[] alarmWindows,
            int[] alarmFeatures) {
        windows += totalWindows;
        changes += changeWindows.length;
        alarms += alarmWindows.length;
        boolean[] used = new boolean[alarmWindows.length];
        for (int i = 0; i < changeWindows.length; i++) {
            int c = changeWindows[i];
            int limit = c + tolerance;
            if (i + 1 < changeWindows.length) {
                limit = Math.min(limit, changeWindows[i + 1] - 1);
            }
            for (int a = 0; a < alarmWindows.length; a++) {
                if (!used[a] && alarmWindows[a] >= c && alarmWindows[a] <= limit) {
                    used[a] = true;
                    detected++;
                    delays.add(alarmWindows[a] - c);
                    if (shiftedFeature[i] >= 0) {
                        attributable++;
                        if (alarmFeatures[a] == shiftedFeature[i]) {
                            attributedRight++;
                        }
                    }
                    break;
                }
            }
        }
    }

    public long windows() {
        return windows;
    }

    public long changes() {
        return changes;
    }

    public long alarms() {
        return alarms;
    }

    public long detected() {
        return detected;
    }

    public long falseAlarms() {
        return alarms - detected;
    }

    /** False alarms per 1000 windows. */
    public double falseAlarmsPer1000() {
        return windows == 0 ? Double.NaN : 1000.0 * falseAlarms() / windows;
    }

    public double recall() {
        return changes == 0 ? Double.NaN : (double) detected / changes;
    }

    public double precision() {
        return alarms == 0 ? 1.0 : (double) detected / alarms;
    }

    /** F1, NaN without changes. */
    public double f1() {
        if (changes == 0) {
            return Double.NaN;
        }
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
    }

    /** Median delay in windows of detected changes, NaN when none. */
    public double medianDelay() {
        if (delays.isEmpty()) {
            return Double.NaN;
        }
        int[] d = delays.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(d);
        int n = d.length;
        return n % 2 == 1 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2.0;
    }

    /** Share of single-feature detections whose top feature is the moved one, NaN when none. */
    public double attribution() {
        return attributable == 0 ? Double.NaN : (double) attributedRight / attributable;
    }
}
