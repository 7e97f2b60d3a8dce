package io.driftguard.operators.scoring;

import io.driftguard.operators.functions.DriftMetrics;
import io.driftguard.operators.model.Architecture;
import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelTrainer;
import io.driftguard.operators.model.Predictor;
import io.driftguard.operators.model.Task;
import io.driftguard.operators.model.TrainingSet;
import io.driftguard.operators.model.ModelCodec;
import io.driftguard.operators.model.ModelSettings;
import io.driftguard.operators.model.ModelStatus;
import io.driftguard.operators.model.Retrainer;
import io.driftguard.operators.model.TrainingRequest;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains candidates off the record path under {@code run}: each {@link TrainingRequest} runs on
 * this operator's own training thread, and the validated version (accepted or rejected) leaves as
 * {@link ModelCodec} bytes for the version assigner and the models topic. Flink's async operator
 * checkpoints the requests in flight and re-runs them after a restore.
 *
 * <p>A training run that fails is logged and yields nothing; the scoring operator re-issues the
 * request after its timeout.
 */
public class AsyncTrainFunction extends RichAsyncFunction<byte[], byte[]> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AsyncTrainFunction.class);

    private final ModelSettings settings;
    private final TrainerFactory trainerFactory;

    private transient ExecutorService executor;
    private transient Retrainer retrainer;
    private transient Counter accepted;
    private transient Counter rejected;
    private transient Counter failed;
    private transient volatile long lastMillis;

    public AsyncTrainFunction(ModelSettings settings, TrainerFactory trainerFactory) {
        this.settings = settings;
        this.trainerFactory = trainerFactory;
    }

    @Override
    public void open(OpenContext openContext) {
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "driftguard-trainer");
            t.setDaemon(true);
            return t;
        });
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup(DriftMetrics.GROUP);
        accepted = g.counter(ModelMetrics.RETRAINS_ACCEPTED);
        rejected = g.counter(ModelMetrics.RETRAINS_REJECTED);
        failed = g.counter("retrainsFailed");
        g.gauge(ModelMetrics.TRAINING_MILLIS, () -> lastMillis);
        // start the trainer now, on its own thread: the backend's start-up (native libraries, op
        // registry, first graph) takes seconds, and the first alarm should not wait for it
        executor.execute(this::warmUp);
    }

    private void warmUp() {
        try {
            long t0 = System.nanoTime();
            retrainer = new Retrainer(settings, trainerFactory.create());
            ModelTrainer trainer = trainerFactory.create();
            Architecture arch = settings.architecture(2, settings.task() == Task.CLASSIFICATION ? 2 : 1);
            int rows = 64;
            int width = 2 * arch.steps();
            float[] x = new float[rows * width];
            float[] y = new float[rows];
            for (int i = 0; i < rows; i++) {
                x[i * width] = i % 2 == 0 ? 1 : -1;
                y[i] = i % 2;
            }
            TrainingSet set = new TrainingSet(x, rows, width, y, null);
            trainer.fit(arch, settings.task(), Predictor.initialWeights(arch, 1), set, set,
                    settings.train().with(settings.train().learningRate(), 1));
            LOG.info("trainer ready in {} ms", (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException | Error e) {
            LOG.warn("trainer warm-up failed; the first training run will start the backend", e);
        }
    }

    @Override
    public void asyncInvoke(byte[] input, ResultFuture<byte[]> resultFuture) {
        executor.execute(() -> {
            try {
                if (retrainer == null) {
                    // the trainer (and ND4J) starts on the training thread, never on the task thread
                    retrainer = new Retrainer(settings, trainerFactory.create());
                }
                TrainingRequest req = TrainingRequest.fromBytes(input);
                long t0 = System.nanoTime();
                ModelArtifact a = retrainer.train(req, req.version(), false);
                lastMillis = (System.nanoTime() - t0) / 1_000_000;
                (a.status() == ModelStatus.ACCEPTED ? accepted : rejected).inc();
                LOG.info("{} v{} {} in {} ms ({}, {} records, validation {} against {}){}", a.modelId(), a.version(),
                        a.status().jsonName(), lastMillis, a.lineage().trigger().jsonName(),
                        a.lineage().trainRecords(), a.lineage().candidateMetric(), a.lineage().parentMetric(),
                        a.reason().isEmpty() ? "" : ": " + a.reason());
                resultFuture.complete(List.of(ModelCodec.encode(a)));
            } catch (RuntimeException | Error e) {
                failed.inc();
                LOG.error("training run failed", e);
                resultFuture.complete(Collections.emptyList());
            }
        });
    }

    @Override
    public void timeout(byte[] input, ResultFuture<byte[]> resultFuture) {
        failed.inc();
        LOG.warn("training run timed out; the scoring operator will ask again");
        resultFuture.complete(Collections.emptyList());
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
