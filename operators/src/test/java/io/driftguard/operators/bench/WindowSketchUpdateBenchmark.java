package io.driftguard.operators.bench;

import io.driftguard.operators.sketch.MomentsSketch;
import io.driftguard.operators.sketch.QuantileSketch;
import io.driftguard.operators.sketch.ReservoirSketch;
import io.driftguard.operators.sketch.RffBasis;
import io.driftguard.operators.sketch.RffSketch;
import io.driftguard.operators.sketch.SketchConfig;
import io.driftguard.operators.sketch.WindowSketch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Time per record of a window's sketches at d = 8 with the streaming job's default configuration
 * (reservoir 256, KLL k = 200, 128 random Fourier pairs), and of each part alone. Each sketch
 * starts afresh every {@link #WINDOW} records, as in a count window of that size, so that the
 * reservoir's and KLL's costs are those of a real window.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WindowSketchUpdateBenchmark {
    static final int WINDOW = 5000;

    /**
     * Keys whose windows are updated in turn, one record each, as a subtask of the job sees them:
     * with many keys each record finds its key's sketch state (KLL levels, reservoir, Fourier
     * frequencies and sums) out of the first-level caches. Only {@link #window()} reads it; run
     * the parts with {@code -p keys=1}.
     */
    @Param({"1", "50"})
    int keys;

    private WindowSketch[] windows;
    private RffBasis[] bases;
    private int key;
    private SketchConfig config;
    private RffBasis basis;
    private double[][] rows;
    private int next;
    private WindowSketch window;
    private MomentsSketch moments;
    private QuantileSketch quantiles;
    private ReservoirSketch reservoir;
    private RffSketch rff;

    @Setup
    public void setUp() {
        config = new SketchConfig(8, 256, 200, 128, 1);
        basis = new RffBasis(8, config.rffPairs(), 3.0, 1);
        rows = BenchData.gaussian(4096, 8, 0, 2);
        bases = new RffBasis[keys];
        windows = new WindowSketch[keys];
        for (int k = 0; k < keys; k++) {
            bases[k] = new RffBasis(8, config.rffPairs(), 3.0, 1 + k);
            windows[k] = WindowSketch.create(config, bases[k]);
        }
        fresh();
    }

    private void fresh() {
        window = WindowSketch.create(config, basis);
        moments = new MomentsSketch(8);
        quantiles = new QuantileSketch(8, config.kllK());
        reservoir = new ReservoirSketch(8, config.reservoirSize(), false, 3);
        rff = new RffSketch(basis);
    }

    private double[] row() {
        if (++next % WINDOW == 0) {
            fresh();
        }
        return rows[next & 4095];
    }

    @Benchmark
    public long window() {
        if (keys == 1) {
            window.update(row());
            return window.count();
        }
        if (++key == keys) {
            key = 0;
        }
        double[] r = rows[++next & 4095];
        WindowSketch w = windows[key];
        if (w.count() == WINDOW) {
            w = windows[key] = WindowSketch.create(config, bases[key]);
        }
        w.update(r);
        return w.count();
    }

    @Benchmark
    public long moments() {
        moments.update(row());
        return moments.count();
    }

    @Benchmark
    public long quantiles() {
        quantiles.update(row());
        return quantiles.count();
    }

    @Benchmark
    public long reservoir() {
        reservoir.update(row());
        return reservoir.seen();
    }

    @Benchmark
    public long rff() {
        rff.update(row());
        return rff.count();
    }
}
