package io.driftguard.jobs.dashboard;

import java.io.PrintWriter;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Progress of a local replay on a terminal: records read by the file source (from its Flink
 * {@code numRecordsOut} task counter, which an in-process metric reporter, registered in
 * META-INF/services, hands over), drawn as a {@link Progress} line.
 */
public final class ReplayProgress {

    /** Operator name of the replay's file source, as {@code ReplayJob} names it. */
    static final String SOURCE_NAME = "csv-replay";

    private static final Queue<Counter> SOURCE_COUNTERS = new ConcurrentLinkedQueue<>();

    private ReplayProgress() {}

    /**
     * {@code conf} with the reporter that hands the source's counter to this class. Without it a
     * progress line shows the elapsed time only.
     */
    public static Configuration withReporter(Configuration conf) {
        Configuration c = new Configuration(conf);
        c.setString("metrics.reporter.dgprogress.factory.class", Factory.class.getName());
        c.setString("metrics.reporter.dgprogress.interval", "1 s");
        return c;
    }

    /**
     * Starts drawing progress on {@code out} for a pass over {@code total} input records; the
     * counters of earlier passes are forgotten.
     */
    public static Progress start(PrintWriter out, long total, String label) {
        SOURCE_COUNTERS.clear();
        return Progress.drawnOn(out, label, total, "records", ReplayProgress::recordsRead);
    }

    /** Records the replay's file source has read in this pass. */
    public static long recordsRead() {
        long read = 0;
        for (Counter c : SOURCE_COUNTERS) {
            read += c.getCount();
        }
        return read;
    }

    /** Flink's factory of the in-process reporter (configured by {@link #withReporter}). */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new SourceCounterReporter();
        }
    }

    /** Takes the file source's {@code numRecordsOut} counters as the job registers them. */
    static final class SourceCounterReporter implements MetricReporter {
        @Override
        public void open(MetricConfig config) {}

        @Override
        public void close() {}

        @Override
        public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
            // the source task's own counter (the task, not its operators: each record counted once)
            if ("numRecordsOut".equals(name) && metric instanceof Counter c) {
                java.util.Map<String, String> vars = group.getAllVariables();
                if (!vars.containsKey("<operator_name>") && vars.getOrDefault("<task_name>", "").contains(SOURCE_NAME)) {
                    SOURCE_COUNTERS.add(c);
                }
            }
        }

        @Override
        public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {}
    }
}
