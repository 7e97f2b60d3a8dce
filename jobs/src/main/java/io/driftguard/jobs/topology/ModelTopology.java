package io.driftguard.jobs.topology;

import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.functions.WindowSpec;
import io.driftguard.operators.model.ModelSettings;
import io.driftguard.operators.model.train.Nd4jTrainer;
import io.driftguard.operators.record.SeriesRecord;
import io.driftguard.operators.scoring.AsyncTrainFunction;
import io.driftguard.operators.scoring.Prediction;
import io.driftguard.operators.scoring.ScoringFunction;
import io.driftguard.operators.scoring.ScoringInput;
import io.driftguard.operators.scoring.TrainerFactory;
import io.driftguard.operators.scoring.VersionAssignFunction;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The model half of a job: the scoring operator beside the drift evaluator, keyed the same way,
 * and under {@code run} the asynchronous trainer and the version assigner behind it.
 *
 * <pre>
 * records ----------------------+
 *                               +-- keyBy(key) --> scoring --> predictions
 * drift events (evaluator) -----+        ^            +-----> drift events with their window's error
 *                                        |            +-----> training requests --> async trainer
 * models topic --> broadcast ------------+                      --> keyBy(model id) --> version assigner
 *                                                                   --> models topic
 * </pre>
 */
public final class ModelTopology {

    /** Operator uid of the scoring operator (its keyed and broadcast state). */
    public static final String SCORING_UID = "driftguard-scoring";

    /** The default trainer: ND4J, created inside the task. */
    public static final TrainerFactory ND4J = Nd4jTrainer::new;

    private ModelTopology() {}

    /**
     * What the model half produces.
     *
     * @param predictions scored records
     * @param events drift events carrying their window's prequential error
     * @param models model versions as codec bytes: from the version assigner under {@code run},
     *     trained inline under replay
     */
    public record Outputs(DataStream<Prediction> predictions, DataStream<DriftEvent> events, DataStream<byte[]> models) {}

    /**
     * The streaming wiring: drift events arrive from the evaluator, versions from {@code models}
     * (the models topic), and trained versions leave on {@link Outputs#models()} for that topic.
     */
    public static Outputs streaming(DataStream<SeriesRecord> records, DataStream<DriftEvent> events,
            DataStream<byte[]> models, ModelSettings settings, WindowSpec window, TrainerFactory trainer) {
        return streaming(records, events, models, settings, window, trainer, java.time.Duration.ZERO);
    }

    /** Like the other {@code streaming}, a key's scoring state expiring after {@code stateTtl} idle. */
    public static Outputs streaming(DataStream<SeriesRecord> records, DataStream<DriftEvent> events,
            DataStream<byte[]> models, ModelSettings settings, WindowSpec window, TrainerFactory trainer,
            java.time.Duration stateTtl) {
        TypeInformation<ScoringInput> type = TypeInformation.of(ScoringInput.class);
        DataStream<ScoringInput> in = records.map(ScoringInput::of, type).name("records-to-scoring")
                .union(events.map(ScoringInput::of, type).name("events-to-scoring"));
        SingleOutputStreamOperator<Prediction> scored =
                in.keyBy(ScoringInput::key, Types.STRING)
                        .connect(models.broadcast(ScoringFunction.MODELS))
                        .process(ScoringFunction.streaming(settings, window).withStateTtl(stateTtl),
                                TypeInformation.of(Prediction.class))
                        .name("scoring")
                        .uid(SCORING_UID);
        DataStream<byte[]> requests = scored.getSideOutput(ScoringFunction.TRAINING_REQUESTS);
        DataStream<byte[]> trained =
                AsyncDataStream.unorderedWait(requests, new AsyncTrainFunction(settings, trainer), 10, TimeUnit.MINUTES, 8)
                        .returns(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                        .name("trainer")
                        .uid("driftguard-trainer");
        DataStream<byte[]> versioned =
                trained.keyBy(VersionAssignFunction.MODEL_ID, Types.STRING)
                        .process(new VersionAssignFunction(), PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                        .name("version-assigner")
                        .uid("driftguard-version-assigner");
        return new Outputs(scored, scored.getSideOutput(ScoringFunction.SCORED_EVENTS), versioned);
    }

    /**
     * The replay wiring: the drift events of the same input are given up front per key (so that
     * they apply at a fixed place in each key's record order) and training runs inline; the same
     * input, configuration and seed give the same versions and predictions.
     *
     * @param emptyModels an empty broadcast input (replay starts with no versions)
     */
    public static Outputs replay(DataStream<SeriesRecord> records, DataStream<byte[]> emptyModels,
            Map<String, DriftEvent[]> schedule, ModelSettings settings, WindowSpec window, TrainerFactory trainer) {
        SingleOutputStreamOperator<Prediction> scored =
                records.map(ScoringInput::of, TypeInformation.of(ScoringInput.class))
                        .name("records-to-scoring")
                        .keyBy(ScoringInput::key, Types.STRING)
                        .connect(emptyModels.broadcast(ScoringFunction.MODELS))
                        .process(ScoringFunction.replay(settings, window, trainer, schedule),
                                TypeInformation.of(Prediction.class))
                        .name("scoring")
                        .uid(SCORING_UID);
        if (settings.scope() == ModelSettings.Scope.SHARED) {
            // one shared model trains in one place, in one order
            scored.setParallelism(1);
        }
        return new Outputs(scored, scored.getSideOutput(ScoringFunction.SCORED_EVENTS),
                scored.getSideOutput(ScoringFunction.TRAINED_MODELS));
    }
}
