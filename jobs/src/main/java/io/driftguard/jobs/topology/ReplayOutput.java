package io.driftguard.jobs.topology;

import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.record.DeadLetter;
import io.driftguard.operators.scoring.Prediction;
import javax.annotation.Nullable;

/**
 * One output of a replay (a drift event, a dead letter, a prediction or a model version), so that
 * all travel through one collected stream.
 *
 * @param event the drift event, or null
 * @param deadLetter the dead letter, or null
 * @param prediction the prediction, or null
 * @param model a model version's codec bytes, or null
 */
public record ReplayOutput(
        @Nullable DriftEvent event,
        @Nullable DeadLetter deadLetter,
        @Nullable Prediction prediction,
        @Nullable byte[] model) {

    public static ReplayOutput of(DriftEvent e) {
        return new ReplayOutput(e, null, null, null);
    }

    public static ReplayOutput of(DeadLetter d) {
        return new ReplayOutput(null, d, null, null);
    }

    public static ReplayOutput of(Prediction p) {
        return new ReplayOutput(null, null, p, null);
    }

    public static ReplayOutput ofModel(byte[] m) {
        return new ReplayOutput(null, null, null, m);
    }
}
