package io.driftguard.operators.detect.calibration;

/**
 * The calibrated verdict on one window.
 *
 * @param drift whether the window confirms a change (the key's reference must then be rebuilt)
 * @param pValue the Bonferroni-combined p-value over the channels, in (0, 1]; 1 while warming up
 * @param warmingUp true while the key has too little null history to decide
 * @param channelPValues each channel's p-value against its own history (a copy)
 * @param channelScores each channel's robust standardised value against its history (a copy)
 */
public record CalibratedDecision(
        boolean drift,
        double pValue,
        boolean warmingUp,
        double[] channelPValues,
        double[] channelScores) {

    public CalibratedDecision {
        channelPValues = channelPValues.clone();
        channelScores = channelScores.clone();
    }

    @Override
    public double[] channelPValues() {
        return channelPValues.clone();
    }

    @Override
    public double[] channelScores() {
        return channelScores.clone();
    }

    /**
     * Channel {@code from + i}'s rank order among channels {@code from .. from + count - 1}, most
     * significant first: ascending p-value, ties broken by descending robust score.
     */
    public int[] rank(int from, int count) {
        Integer[] idx = new Integer[count];
        for (int i = 0; i < count; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(
                idx,
                (a, b) -> {
                    int c = Double.compare(channelPValues[from + a], channelPValues[from + b]);
                    return c != 0
                            ? c
                            : Double.compare(channelScores[from + b], channelScores[from + a]);
                });
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = idx[i];
        }
        return out;
    }
}
