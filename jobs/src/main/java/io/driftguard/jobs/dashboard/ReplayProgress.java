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
 * META-INF/services, hands over), percent of the
 * input, records per second and the time left, redrawn on one line every half second.
 */
public final class ReplayProgress implements AutoCloseable {

    /** Operator name of the replay's file source, as {@code ReplayJob} names it. */
    static final String SOURCE_NAME = "csv-replay";

    private static final Queue<Counter> SOURCE_COUNTERS = new ConcurrentLinkedQueue<>();

    private final PrintWriter out;
    private final long total;
    private final String label;
    private final Thread thread;
    private final long start = System.nanoTime();
    private volatile boolean done;
    private int width;
    private long firstRead;

    private ReplayProgress(PrintWriter out, long total, String label) {
        this.out = out;
        this.total = total;
        this.label = label;
        this.thread = new Thread(this::run, "driftguard-progress");
        this.thread.setDaemon(true);
    }

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
    public static ReplayProgress start(PrintWriter out, long total, String label) {
        SOURCE_COUNTERS.clear();
        ReplayProgress p = new ReplayProgress(out, total, label);
        p.thread.start();
        return p;
    }

    private void run() {
        while (!done) {
            draw();
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void draw() {
        long read = 0;
        for (Counter c : SOURCE_COUNTERS) {
            read += c.getCount();
        }
        long now = System.nanoTime();
        String line;
        if (read == 0) {
            line = String.format("%s: starting local Flink ... %.0f s", label, (now - start) / 1e9);
        } else {
            if (firstRead == 0) {
                firstRead = now;
            }
            // the rate from the first record read on: the cluster's start is not the input's pace
            double secs = (now - firstRead) / 1e9;
            double rate = secs < 0.4 ? 0 : read / secs;
            double frac = total > 0 ? Math.min(1, (double) read / total) : 0;
            long left = rate > 0 && total > read ? Math.round((total - read) / rate) : 0;
            String eta = rate == 0 ? "?" : left >= 60 ? (left / 60) + " min " + (left % 60) + " s" : left + " s";
            line = String.format("%s: %3.0f%% of %,d records, %,.0f records/s, %s left", label, 100 * frac, total,
                    rate, eta);
        }
        int pad = Math.max(0, width - line.length());
        width = line.length();
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
    }

    /** Stops drawing and clears the line. */
    @Override
    public synchronized void close() {
        done = true;
        thread.interrupt();
        out.print("\r" + " ".repeat(width) + "\r");
        out.flush();
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
