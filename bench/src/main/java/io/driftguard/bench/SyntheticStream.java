package io.driftguard.bench;

/**
 * One generated stream.
 *
 * @param suite the suite it belongs to
 * @param index its index within the suite
 * @param windows {@code windows[w][record][feature]}
 * @param changeWindows windows at which a change starts, ascending
 * @param shiftedFeature per change, the only feature it moves, or -1
 */
public record SyntheticStream(
        SyntheticSuite suite,
        int index,
        double[][][] windows,
        int[] changeWindows,
        int[] shiftedFeature) {}
