package io.driftguard.operators.model;

import java.io.Serializable;
import java.util.Objects;

/**
 * Where a model version came from.
 *
 * @param parentVersion the version it was trained from (fine-tuned, or whose weights a rollback
 *     copies); 0 for a key's first model
 * @param trigger why it was trained
 * @param triggerStart start of the drift event window that triggered it (or of the error window),
 *     or -1
 * @param triggerEnd end of that window, exclusive, or -1
 * @param strategy the adaptation strategy ({@code initial}, {@code retrain}, {@code rollback}, ...)
 * @param trainFrom time or index of the first training record
 * @param trainTo time or index of the last training record, inclusive
 * @param trainRecords records used for training and validation together
 * @param candidateMetric the candidate's validation loss on the held-out newest fifth (error rate
 *     for classification, mean squared error for regression); NaN when not validated
 * @param parentMetric the serving version's loss on the same records; NaN when there was none
 * @param seed seed of initialisation and batch order
 * @param created creation time: epoch ms of the wall clock under {@code run}, the event time or
 *     index at which it was trained under {@code replay} (so that replays are byte for byte
 *     reproducible)
 * @param trainMillis training time in milliseconds (0 under replay, where it would break
 *     reproducibility; the log and the metric carry it)
 * @param epochs training epochs run (early stopping included)
 */
public record Lineage(
        long parentVersion,
        Trigger trigger,
        long triggerStart,
        long triggerEnd,
        String strategy,
        long trainFrom,
        long trainTo,
        int trainRecords,
        double candidateMetric,
        double parentMetric,
        long seed,
        long created,
        long trainMillis,
        int epochs) implements Serializable {

    private static final long serialVersionUID = 1L;

    public Lineage {
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(strategy, "strategy");
    }
}
