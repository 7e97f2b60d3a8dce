package io.driftguard.operators.functions;

import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.detect.PooledReferenceDetector;
import io.driftguard.operators.sketch.SketchConfig;
import io.driftguard.operators.sketch.WindowSketch;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One window's whole evaluation as the streaming job runs it under the default {@code fixed}
 * policy, for a calibrated key at the defaults (reservoir 256, d = 8, count windows of 1,000
 * records, 64 earlier window embeddings to search): the key's detector decides and the evaluator
 * builds the event. Sample time, so that JMH reports the median and the 99th percentile.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WindowEvaluatorBenchmark {

    private static final int D = 8;
    private static final int WINDOWS = 64;

    /** Mean shift of the evaluated windows in standard deviations (0: a quiet key). */
    @Param({"0.0"})
    public double shift;

    private WindowEvaluator evaluator;
    private PooledReferenceDetector detector;
    private PooledReferenceDetector warming;
    private KeyMeta meta;
    private WindowSketch[] windows;
    private List<WindowDriftFunction.Stored> history;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        DriftSettings settings = DriftSettings.defaults(WindowSpec.parse("1000"));
        evaluator = new WindowEvaluator(settings);
        SketchConfig config = new SketchConfig(D, settings.reservoirSize(), settings.kllK(), settings.rffPairs(), 42L);
        Random random = new Random(7);
        detector = PooledReferenceDetector.fixed(evaluator.pooledCalibration());
        meta = new KeyMeta();
        meta.dimension = D;
        // reference and null history: enough quiet windows for the key to be calibrated; a copy
        // after its reference and 10 decided windows is a key still gathering its history
        for (int i = 0; i < 60; i++) {
            if (i == 18) {
                warming = detector.copy();
            }
            detector.onWindow(new PooledReferenceDetector.Window(i * 1000L, (i + 1) * 1000L, 1000,
                    window(config, random, 0.0).reservoir().rows()));
        }
        windows = new WindowSketch[WINDOWS];
        for (int i = 0; i < WINDOWS; i++) {
            windows[i] = window(config, random, shift);
        }
        // the recent window embeddings the job searches for the nearest earlier window (64 by default)
        double sigma = WindowEvaluator.bandwidth(windows[0], settings.seed());
        history = new java.util.ArrayList<>();
        for (int i = 0; i < WINDOWS; i++) {
            windows[i].attachRff(config.rffBasis(sigma));
            history.add(new WindowDriftFunction.Stored(i * 1000L, (i + 1) * 1000L, windows[i].rff().orElseThrow().toBytes()));
        }
    }

    private static WindowSketch window(SketchConfig config, Random random, double shift) {
        WindowSketch w = WindowSketch.create(config);
        double[] x = new double[D];
        for (int r = 0; r < 1000; r++) {
            for (int f = 0; f < D; f++) {
                x[f] = random.nextGaussian() + shift;
            }
            w.update(x);
        }
        return w;
    }

    /** The detector's decision alone (window statistics against the pooled reference). */
    @Benchmark
    public PooledReferenceDetector.Verdict decide() {
        WindowSketch w = windows[next++ % WINDOWS];
        long start = next * 1000L;
        return detector.onWindow(new PooledReferenceDetector.Window(start, start + 1000, w.count(), w.reservoir().rows()));
    }

    /**
     * A window of a key whose null history is still gathering (its 19th): the early test and the
     * event, from a copy of the key's detector at that point each time.
     */
    @Benchmark
    public DriftEvent evaluateEarlyWindow() {
        WindowSketch w = windows[next++ % WINDOWS];
        long start = next * 1000L;
        PooledReferenceDetector det = warming.copy();
        PooledReferenceDetector.Verdict v =
                det.onWindow(new PooledReferenceDetector.Window(start, start + 1000, w.count(), w.reservoir().rows()));
        return evaluator.evaluate("k", meta, w, start, start + 1000, v, null, history, null,
                det.sortedReferenceColumns(256)).event();
    }

    @Benchmark
    public DriftEvent evaluateWindow() {
        WindowSketch w = windows[next++ % WINDOWS];
        long start = next * 1000L;
        PooledReferenceDetector.Verdict v =
                detector.onWindow(new PooledReferenceDetector.Window(start, start + 1000, w.count(), w.reservoir().rows()));
        if (!v.decided()) {
            return null;
        }
        return evaluator.evaluate("k", meta, w, start, start + 1000, v, null, history, null,
                detector.sortedReferenceColumns(256)).event();
    }
}
