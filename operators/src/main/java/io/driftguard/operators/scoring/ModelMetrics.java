package io.driftguard.operators.scoring;

/**
 * Metric names of the model operators, in the {@code driftguard} group beside the drift metrics
 * (Prometheus: {@code flink_taskmanager_job_task_operator_driftguard_<name>}). None is labelled
 * by key or version: cardinality stays bounded.
 */
public final class ModelMetrics {

    /** Counter: records scored. */
    public static final String PREDICTIONS = "predictions";
    /** Counter: labelled records scored. */
    public static final String PREDICTIONS_LABELLED = "predictionsLabelled";
    /** Gauge: the highest model version that scored a record on this subtask. */
    public static final String SERVING_VERSION = "servingVersion";
    /**
     * Gauge: prequential error of the labelled records this subtask scored since the last report
     * (error rate, or mean squared error); NaN when there were none.
     */
    public static final String PREQUENTIAL_ERROR = "prequentialError";
    /**
     * Gauge: milliseconds from the last drift alarm that a new version answered to the first
     * record that version scored on this subtask (training, validation, publication and the
     * round trip through the models topic).
     */
    public static final String SWAP_MILLIS = "swapMillis";
    /** Counter: training runs started. */
    public static final String RETRAINS_ATTEMPTED = "retrainsAttempted";
    /** Counter: candidates accepted (published to serve). */
    public static final String RETRAINS_ACCEPTED = "retrainsAccepted";
    /** Counter: candidates rejected by the validation gate. */
    public static final String RETRAINS_REJECTED = "retrainsRejected";
    /** Gauge: wall-clock milliseconds of the last training run. */
    public static final String TRAINING_MILLIS = "trainingMillis";
    /** Counter: model records refused (corrupt, incompatible or stale). */
    public static final String MODELS_REJECTED = "modelRecordsRejected";
    /** Counter: model versions taken into the serving set. */
    public static final String MODELS_LOADED = "modelVersionsLoaded";

    private ModelMetrics() {}
}
