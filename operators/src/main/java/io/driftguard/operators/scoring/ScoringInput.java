package io.driftguard.operators.scoring;

import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.record.SeriesRecord;
import javax.annotation.Nullable;

/**
 * One input of the scoring operator: a record to score, or a drift event of its key, so that both
 * reach the operator through one keyed stream.
 *
 * @param record the record, or null
 * @param event the drift event, or null
 */
public record ScoringInput(@Nullable SeriesRecord record, @Nullable DriftEvent event) {

    public static ScoringInput of(SeriesRecord r) {
        return new ScoringInput(r, null);
    }

    public static ScoringInput of(DriftEvent e) {
        return new ScoringInput(null, e);
    }

    /** The key of either. */
    public String key() {
        return record != null ? record.key() : event.key();
    }
}
