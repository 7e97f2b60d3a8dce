package io.driftguard.jobs.topology;

import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.record.DeadLetter;
import javax.annotation.Nullable;

/**
 * One output of a replay, either a drift event or a dead letter, so that both travel through one
 * collected stream.
 *
 * @param event the drift event, or null
 * @param deadLetter the dead letter, or null
 */
public record ReplayOutput(@Nullable DriftEvent event, @Nullable DeadLetter deadLetter) {

    public static ReplayOutput of(DriftEvent e) {
        return new ReplayOutput(e, null);
    }

    public static ReplayOutput of(DeadLetter d) {
        return new ReplayOutput(null, d);
    }
}
