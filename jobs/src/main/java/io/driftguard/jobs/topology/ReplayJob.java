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
import java.util.List;
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
        FileSource<CsvLine> source =
                FileSource.forRecordStreamFormat(
                                new CsvLineFormat(),
                                new org.apache.flink.core.fs.Path(input.toAbsolutePath().toUri()))
                        .build();
        DataStream<CsvLine> lines =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "csv-replay")
                        .setParallelism(1)
                        .uid("driftguard-csv-source");
        // lines are partitioned by their key column before parsing: parsing runs in parallel, each
        // key's lines keep the file's order, and the parsed stream is already partitioned by key
        SingleOutputStreamOperator<SeriesRecord> parsed =
                lines.keyBy(new CsvKeySelector(schema), TypeInformation.of(String.class))
                        .process(new CsvParseFunction(schema, input.getFileName().toString()))
                        .name("parse-csv")
                        .uid("driftguard-parse-csv");
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
