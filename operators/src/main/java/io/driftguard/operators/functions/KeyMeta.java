package io.driftguard.operators.functions;

/**
 * Per-key bookkeeping of the drift evaluator, a Flink POJO (public fields, no-arg constructor).
 *
 * <p>Fixed by the key's first valid record: dimension and feature names. Updated per record only
 * for count windows (count and times of the open window); everything else changes when a window
 * closes.
 */
public class KeyMeta {

    /** Features per record; records of another dimension are dead letters. */
    public int dimension;

    /** Feature names, or null when the input carried none. */
    public String[] names;

    /** Whether the key's first record carried a label (its reservoirs then keep labels). */
    public boolean labelled;

    /** Windows closed so far (the next window's index). */
    public long windowIndex;

    /** Count windows: records in the open window. */
    public long openCount;

    /** Count windows: time of the open window's first record. */
    public long openStart;

    /** Count windows: time of the open window's latest record. */
    public long openLast;

    /** Count windows: the open window's change-location blocks ({@code ChangeBlocks}), or null. */
    public double[] openBlocks;

    /** Per-feature mean of the reference the next window is compared with, or null. */
    public double[] refMean;

    /** Per-feature 1/sd of that reference, or null. */
    public double[] refInvSd;

    /** Kernel bandwidth of the key's random Fourier features; NaN until the first window closes. */
    public double sigma = Double.NaN;

    /** Index of the fixed reference window, or -1. */
    public long fixedIndex = -1;

    /** Serialized drift calibration state, or null before the first evaluation. */
    public byte[] calibration;

    /** Class labels seen, in order of first appearance; a class's code is its index. */
    public String[] labelClasses = new String[0];

    public KeyMeta() {}
}
