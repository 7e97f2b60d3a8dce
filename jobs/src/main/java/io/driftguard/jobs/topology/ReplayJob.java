package io.driftguard.jobs.topology;

import io.driftguard.connectors.csv.CsvLine;
import io.driftguard.connectors.csv.CsvKeySelector;
import io.driftguard.connectors.csv.CsvLineFormat;
import io.driftguard.connectors.csv.CsvSchema;
import io.driftguard.connectors.parse.CsvParseFunction;
import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.functions.DriftMetrics;
import io.driftguard.operators.functions.DriftSettings;
import io.driftguard.operators.record.DeadLetter;
import io.driftguard.operators.record.SeriesRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.driftguard.operators.functions.WindowSpec;
import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelCodec;
import io.driftguard.operators.model.ModelSettings;
import io.driftguard.operators.scoring.Prediction;
import io.driftguard.operators.scoring.TrainerFactory;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Replays a CSV file through the drift topology on local Flink and returns its outputs in a
 * reproducible order (events by window end, then key; dead letters by input line).
 */
public final class ReplayJob {

    private ReplayJob() {}

    /** What a replay produced. */
    public record Result(List<DriftEvent> events, List<DeadLetter> deadLetters, long millis) {}

    /**
     * Runs the replay to completion.
     *
     * @param input the CSV file
     * @param schema the column roles, resolved against its header
     * @param settings evaluator settings
     * @param parallelism parallelism of the keyed evaluation (the file is read by one reader)
     * @param flinkConf further Flink configuration
     */
    public static Result run(
            Path input, CsvSchema schema, DriftSettings settings, int parallelism, Configuration flinkConf)
            throws Exception {
        StreamExecutionEnvironment env = FlinkEnvironments.local(flinkConf, parallelism);
        // lines are partitioned by their key column before parsing: parsing runs in parallel, each
        // key's lines keep the file's order, and the parsed stream is already partitioned by key
        SingleOutputStreamOperator<SeriesRecord> parsed = parse(env, input, schema, flinkConf);
        DriftTopology.Outputs out =
                DriftTopology.build(parsed, settings, Duration.ZERO, null, true);
        TypeInformation<ReplayOutput> type = TypeInformation.of(ReplayOutput.class);
        DataStream<ReplayOutput> all =
                out.events()
                        .map(ReplayOutput::of, type)
                        .name("events")
                        .union(
                                parsed.getSideOutput(DriftMetrics.DEAD_LETTER_TAG).map(ReplayOutput::of, type),
                                out.deadLetters().map(ReplayOutput::of, type));
        List<DriftEvent> events = new ArrayList<>();
        List<DeadLetter> dead = new ArrayList<>();
        long t0 = System.nanoTime();
        try (CloseableIterator<ReplayOutput> it = all.executeAndCollect("driftguard replay")) {
            while (it.hasNext()) {
                ReplayOutput o = it.next();
                if (o.event() != null) {
                    events.add(o.event());
                } else {
                    dead.add(o.deadLetter());
                }
            }
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        events.sort(EVENT_ORDER);
        dead.sort(Comparator.comparingLong(ReplayJob::lineOf).thenComparing(DeadLetter::source));
        return new Result(events, dead, millis);
    }

    /**
     * What the scoring pass produced.
     *
     * @param predictions scored records, in input order per key (keys in order of first record)
     * @param events the drift events with their window's prequential error, in {@link #EVENT_ORDER}
     * @param models the versions trained, accepted and rejected, by model id then version
     */
    public record Scored(List<Prediction> predictions, List<DriftEvent> events, List<ModelArtifact> models, long millis) {}

    /**
     * The replay's second pass when a model is deployed: the same input through the scoring
     * operator, with the first pass's drift events applied at their place in each key's records
     * and training inline, so that the result depends only on the input, the configuration and
     * the seed.
     */
    public static Scored score(Path input, CsvSchema schema, WindowSpec window, ModelSettings model,
            List<DriftEvent> events, TrainerFactory trainer, int parallelism, Configuration flinkConf) throws Exception {
        StreamExecutionEnvironment env = FlinkEnvironments.local(flinkConf, parallelism);
        SingleOutputStreamOperator<SeriesRecord> parsed = parse(env, input, schema, flinkConf);
        Map<String, List<DriftEvent>> byKey = new HashMap<>();
        for (DriftEvent e : events) {
            byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
        }
        Map<String, DriftEvent[]> schedule = new HashMap<>();
        byKey.forEach((k, list) -> {
            list.sort(Comparator.comparingLong(DriftEvent::windowEnd));
            schedule.put(k, list.toArray(new DriftEvent[0]));
        });
        // a bounded input with no element (Flink's collection source refuses an empty collection)
        DataStream<byte[]> noModels = env.fromSequence(0, 0)
                .filter(x -> false)
                .map(x -> new byte[0], PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .name("no-models");
        ModelTopology.Outputs out = ModelTopology.replay(parsed, noModels, schedule, model, window, trainer);
        TypeInformation<ReplayOutput> type = TypeInformation.of(ReplayOutput.class);
        DataStream<ReplayOutput> all =
                out.predictions().map(ReplayOutput::of, type).name("predictions")
                        .union(out.events().map(ReplayOutput::of, type),
                                out.models().map(ReplayOutput::ofModel, type));
        List<Prediction> predictions = new ArrayList<>();
        List<DriftEvent> scoredEvents = new ArrayList<>();
        List<ModelArtifact> models = new ArrayList<>();
        long t0 = System.nanoTime();
        try (CloseableIterator<ReplayOutput> it = all.executeAndCollect("driftguard replay scoring")) {
            while (it.hasNext()) {
                ReplayOutput o = it.next();
                if (o.prediction() != null) {
                    predictions.add(o.prediction());
                } else if (o.event() != null) {
                    scoredEvents.add(o.event());
                } else if (o.model() != null) {
                    models.add(ModelCodec.decode(o.model()));
                }
            }
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        // keys interleave in arrival order across subtasks; fix a reproducible order: per key in
        // input order, keys by their first record
        Map<String, Integer> firstSeen = new HashMap<>();
        List<List<Prediction>> perKey = new ArrayList<>();
        for (Prediction p : predictions) {
            Integer i = firstSeen.get(p.key());
            if (i == null) {
                i = perKey.size();
                firstSeen.put(p.key(), i);
                perKey.add(new ArrayList<>());
            }
            perKey.get(i).add(p);
        }
        perKey.sort(Comparator.comparingLong(l -> l.get(0).ts()));
        List<Prediction> ordered = new ArrayList<>(predictions.size());
        perKey.forEach(ordered::addAll);
        scoredEvents.sort(EVENT_ORDER);
        models.sort(Comparator.comparing(ModelArtifact::modelId).thenComparingLong(ModelArtifact::version));
        return new Scored(ordered, scoredEvents, models, millis);
    }

    /** Reads and parses the CSV: one reader, parsing partitioned by key column. */
    private static SingleOutputStreamOperator<SeriesRecord> parse(
            StreamExecutionEnvironment env, Path input, CsvSchema schema, Configuration conf) {
        FileSource<CsvLine> source =
                FileSource.forRecordStreamFormat(
                                new CsvLineFormat(),
                                new org.apache.flink.core.fs.Path(input.toAbsolutePath().toUri()))
                        .build();
        DataStream<CsvLine> lines =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "csv-replay")
                        .setParallelism(1)
                        .uid("driftguard-csv-source");
        return lines.keyBy(new CsvKeySelector(schema), TypeInformation.of(String.class))
                .process(new CsvParseFunction(schema, input.getFileName().toString(),
                        conf.get(io.driftguard.jobs.config.DriftguardOptions.MAX_LEAD).toMillis(),
                        io.driftguard.jobs.config.JobConfig.missingMarkers(conf)))
                .name("parse-csv")
                .uid("driftguard-parse-csv");
    }

    /** Reproducible event order: window end, key, window start. */
    public static final Comparator<DriftEvent> EVENT_ORDER =
            Comparator.comparingLong(DriftEvent::windowEnd)
                    .thenComparing(DriftEvent::key)
                    .thenComparingLong(DriftEvent::windowStart);

    private static long lineOf(DeadLetter d) {
        String s = d.source();
        int colon = s.lastIndexOf(':');
        try {
            return colon < 0 ? Long.MAX_VALUE : Long.parseLong(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
