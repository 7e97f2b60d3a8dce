package io.driftguard.jobs.dashboard;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One progress line on a terminal, redrawn every half second: what is done out of the total, in
 * the caller's unit (records, streams, runs), its rate and the time left. The rate counts from the
 * first unit done on, so a local cluster's start does not slow the estimate.
 *
 * <p>{@link #onTerminal} draws only when the process has a console; with output going to a file
 * or a pipe it returns an instance that draws nothing, so logs get the summary lines alone. Text
 * that the caller prints while the line is shown goes through {@link #guard} (or
 * {@link #guardSystemStreams}), which clears the line first; the next tick draws it again below.
 */
public final class Progress implements AutoCloseable {

    private final PrintWriter out;
    private final String label;
    private final long total;
    private final String unit;
    private final LongSupplier done;
    private final AtomicLong steps = new AtomicLong();
    private final Thread thread;
    private final long start = System.nanoTime();
    private volatile String phase = "";
    private PrintStream savedOut;
    private PrintStream savedErr;
    private volatile boolean closed;
    private int width;
    private long firstDone;

    private Progress(PrintWriter out, String label, long total, String unit, LongSupplier done) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.done = done != null ? done : steps::get;
        if (out == null) {
            this.thread = null;
            return;
        }
        this.thread = new Thread(this::run, "driftguard-progress");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Progress over {@code total} {@code unit}s advanced by {@link #advance}, drawn on the console
     * when there is one, else silent.
     */
    public static Progress onTerminal(String label, long total, String unit) {
        return new Progress(console(), label, total, unit, null);
    }

    /** As {@link #onTerminal}, with the amount done read from {@code done} at each redraw. */
    public static Progress onTerminal(String label, long total, String unit, LongSupplier done) {
        return new Progress(console(), label, total, unit, done);
    }

    /** Progress drawn on {@code out} (null: nowhere), for callers that chose the terminal. */
    public static Progress drawnOn(PrintWriter out, String label, long total, String unit, LongSupplier done) {
        return new Progress(out, label, total, unit, done);
    }

    private static PrintWriter console() {
        return System.console() != null ? System.console().writer() : null;
    }

    /** Whether this instance draws at all. */
    public boolean visible() {
        return out != null;
    }

    /** Marks {@code n} more units done (ignored when the amount comes from a supplier). */
    public void advance(long n) {
        steps.addAndGet(n);
    }

    /** A short note shown after the counts, such as the run in progress. */
    public void phase(String text) {
        phase = text == null ? "" : text;
    }

    /**
     * {@code stream} with this line cleared before anything is written through it; {@code stream}
     * itself when nothing is drawn.
     */
    public PrintStream guard(PrintStream stream) {
        if (out == null) {
            return stream;
        }
        return new PrintStream(new FilterOutputStream(stream) {
            @Override
            public void write(int b) throws IOException {
                clear();
                stream.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                clear();
                stream.write(b, off, len);
            }

            @Override
            public void flush() {
                stream.flush();
            }

            @Override
            public void close() {
                stream.flush();
            }
        }, true);
    }

    /**
     * Routes {@code System.out} and {@code System.err} through {@link #guard} until
     * {@link #close}, for code that prints to them directly; returns this.
     */
    public Progress guardSystemStreams() {
        if (out != null && savedOut == null) {
            savedOut = System.out;
            savedErr = System.err;
            System.setOut(guard(savedOut));
            System.setErr(guard(savedErr));
        }
        return this;
    }

    private void run() {
        while (!closed) {
            draw();
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void draw() {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        long d = done.getAsLong();
        if (d > 0 && firstDone == 0) {
            firstDone = now;
        }
        String line = line(label, d, total, unit, d == 0 ? (now - start) / 1e9 : (now - firstDone) / 1e9,
                d == 0, phase);
        int pad = Math.max(0, width - line.length());
        width = line.length();
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
    }

    private synchronized void clear() {
        if (width > 0) {
            out.print("\r" + " ".repeat(width) + "\r");
            out.flush();
            width = 0;
        }
    }

    /**
     * The text of one progress line: before anything is done, the seconds since the start; after,
     * percent of the total, the rate over {@code seconds} since the first unit, and the time left
     * at that rate ("?" until the rate is known).
     */
    static String line(String label, long done, long total, String unit, double seconds, boolean starting,
            String phase) {
        String tail = phase.isEmpty() ? "" : " (" + phase + ")";
        if (starting) {
            return String.format(Locale.ROOT, "%s: starting ... %.0f s%s", label, seconds, tail);
        }
        // units such as streams finish seconds apart: the first one's own time is not yet a rate
        double rate = seconds < 0.4 ? 0 : done / seconds;
        double frac = total > 0 ? Math.min(1, (double) done / total) : 0;
        String eta;
        if (rate <= 0) {
            eta = "?";
        } else {
            long left = total > done ? Math.round((total - done) / rate) : 0;
            eta = left >= 3600 ? (left / 3600) + " h " + (left % 3600 / 60) + " min"
                    : left >= 60 ? (left / 60) + " min " + (left % 60) + " s" : left + " s";
        }
        String perSecond = rate >= 10 ? String.format(Locale.ROOT, "%,.0f", rate)
                : String.format(Locale.ROOT, "%.2f", rate);
        return String.format(Locale.ROOT, "%s: %3.0f%% of %,d %s, %s %s/s, %s left%s", label, 100 * frac, total,
                unit, perSecond, unit, eta, tail);
    }

    /** Stops drawing and clears the line. */
    @Override
    public void close() {
        if (out == null) {
            return;
        }
        synchronized (this) {
            closed = true;
            thread.interrupt();
            clear();
        }
        if (savedOut != null) {
            System.setOut(savedOut);
            System.setErr(savedErr);
            savedOut = null;
        }
    }
}
