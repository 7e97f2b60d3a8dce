package io.driftguard.operators.functions;

import java.io.Serializable;
import java.util.Objects;

/**
 * The immutable settings of the drift evaluator, parsed once from the job configuration.
 *
 * @param window how records are cut into windows
 * @param reference what a closed window is compared against
 * @param permutations permutations of the MMD test per evaluated window
 * @param reservoirSize records kept per window for the exact tests
 * @param kllK accuracy parameter of the per-feature KLL sketches; 0 keeps none (no event field
 *     reads them, and they are the largest part of the per-record sketch cost)
 * @param rffPairs random Fourier feature (cos, sin) pairs of the window embeddings
 * @param sketchesEnabled false only counts records per window (throughput baseline)
 * @param expectedRunLength false-alarm budget: expected windows between false alarms per key
 * @param seed seed of reservoirs, random features and permutations
 * @param historyWindows window embeddings kept per key to recognise recurring regimes
 * @param embedding the delay embedding of a key's records ahead of the evaluator
 *     ({@link LagEmbedding#NONE}: none)
 */
public record DriftSettings(
        WindowSpec window,
        ReferencePolicy reference,
        int permutations,
        int reservoirSize,
        int kllK,
        int rffPairs,
        boolean sketchesEnabled,
        double expectedRunLength,
        long seed,
        int historyWindows,
        LagEmbedding embedding) implements Serializable {

    private static final long serialVersionUID = 1L;

    public DriftSettings {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(embedding, "embedding");
        check(permutations >= 19 && permutations <= 100_000, "permutations must be in 19..100000, got %s", permutations);
        check(reservoirSize >= 8 && reservoirSize <= 100_000, "reservoir size must be in 8..100000, got %s", reservoirSize);
        check(kllK == 0 || kllK >= 8 && kllK <= 65535, "KLL k must be 0 (none) or in 8..65535, got %s", kllK);
        check(rffPairs >= 1 && rffPairs <= 8192, "RFF pairs must be in 1..8192, got %s", rffPairs);
        check(expectedRunLength >= 2, "expected run length must be at least 2 windows, got %s", expectedRunLength);
        check(historyWindows >= 0 && historyWindows <= 4096, "history windows must be in 0..4096, got %s", historyWindows);
    }

    /** Defaults for a window spec: the fixed pooled reference and the documented defaults. */
    public static DriftSettings defaults(WindowSpec window) {
        return new DriftSettings(
                window, ReferencePolicy.parse("fixed", window), 200, 256, 0, 128, true, 2000.0, 42L, 64,
                LagEmbedding.NONE);
    }

    /** Returns a copy with another reference policy. */
    public DriftSettings withReference(ReferencePolicy r) {
        return new DriftSettings(window, r, permutations, reservoirSize, kllK, rffPairs, sketchesEnabled,
                expectedRunLength, seed, historyWindows, embedding);
    }

    /** Returns a copy with sketches switched on or off. */
    public DriftSettings withSketches(boolean enabled) {
        return new DriftSettings(window, reference, permutations, reservoirSize, kllK, rffPairs, enabled,
                expectedRunLength, seed, historyWindows, embedding);
    }

    /** Returns a copy with another delay embedding. */
    public DriftSettings withEmbedding(LagEmbedding e) {
        return new DriftSettings(window, reference, permutations, reservoirSize, kllK, rffPairs, sketchesEnabled,
                expectedRunLength, seed, historyWindows, e);
    }

    private static void check(boolean ok, String template, Object arg) {
        if (!ok) {
            throw new IllegalArgumentException(String.format(template, arg));
        }
    }
}
