package io.driftguard.operators.functions;

import io.driftguard.operators.record.DeadLetter;
import org.apache.flink.util.OutputTag;

/**
 * Metric names and side-output tags shared by the driftguard operators.
 *
 * <p>All metrics live in the user group {@value #GROUP}; with Flink's Prometheus reporter a
 * counter appears as {@code flink_taskmanager_job_task_operator_driftguard_<name>}.
 */
public final class DriftMetrics {

    /** The metric group every driftguard metric is registered under. */
    public static final String GROUP = "driftguard";

    /** Counter: inputs routed to the dead-letter output. */
    public static final String DEAD_LETTERS = "deadLetters";

    /** Counter: records that arrived after their window had been evaluated. */
    public static final String LATE_RECORDS = "lateRecords";

    /** Counter: windows evaluated against a reference. */
    public static final String WINDOWS_EVALUATED = "windowsEvaluated";

    /** Counter: evaluated windows whose decision was drift. */
    public static final String DRIFT_ALARMS = "driftAlarms";

    /**
     * Counter: evaluated windows whose decision did not have the key's own null history yet
     * (events with {@code calibrated = false}).
     */
    public static final String WINDOWS_UNCALIBRATED = "windowsUncalibrated";

    /** Gauge: the smallest p-value among the windows evaluated since the last report. */
    public static final String LAST_P_VALUE_MIN = "lastPValueMin";

    /** Gauge: wall-clock milliseconds spent on the last window evaluation. */
    public static final String EVALUATION_MILLIS = "evaluationMillis";

    /** Side output of inputs that could not be used, with the reason. */
    public static final OutputTag<DeadLetter> DEAD_LETTER_TAG =
            new OutputTag<>("dead-letters", org.apache.flink.api.common.typeinfo.TypeInformation.of(DeadLetter.class));

    private DriftMetrics() {}

    /** Registers (or returns) the dead-letter counter of an operator. */
    public static org.apache.flink.metrics.Counter deadLetters(
            org.apache.flink.api.common.functions.RuntimeContext context) {
        return context.getMetricGroup().addGroup(GROUP).counter(DEAD_LETTERS);
    }
}
