package io.driftguard.operators.segment;

import java.util.List;

/**
 * The segmentation of one series by {@link KernelChangePoints}.
 *
 * @param length records in the series
 * @param window the embedding window m (records)
 * @param stride records between consecutive embedded points
 * @param points embedded points segmented
 * @param minSegment the minimum segment length (records)
 * @param sigma the Gaussian kernel bandwidth (median heuristic on the embedded points)
 * @param penalty the penalty per change, in kernel-cost units
 * @param cost the penalised cost (kernel cost plus penalty times changes) of PELT's optimum,
 *     before the classifier check removes changes; 0 when the series is too short to split
 * @param changes the changes, in increasing order
 */
public record SegmentationResult(
        int length,
        int window,
        int stride,
        int points,
        int minSegment,
        double sigma,
        double penalty,
        double cost,
        List<Change> changes) {

    /**
     * One change point.
     *
     * @param index 0-based index of the first record of the new segment
     * @param costReduction how much the kernel cost of the two adjacent segments drops by splitting
     *     them here: (L1 L2 / (L1 + L2)) times the biased MMD^2 of their embedded points; above
     *     the penalty by construction of the optimum only in sum, so it may be below it
     * @param mmd2 unbiased MMD^2 (DESIGN section 4) between the embedded points of the two adjacent
     *     segments, same bandwidth
     * @param score the balanced k-NN accuracy between the two adjacent segments' embedded points
     *     ({@link NeighbourScore}), in [0, 1], about 0.5 without change
     * @param before records in the segment before the change
     * @param after records in the segment after the change
     */
    public record Change(int index, double costReduction, double mmd2, double score, int before, int after) {}

    /** The change indices, increasing. */
    public int[] indices() {
        return changes.stream().mapToInt(Change::index).toArray();
    }
}
