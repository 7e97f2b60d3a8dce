package io.driftguard.operators.model.train;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-time set-up of ND4J for training: loads the backend and pins its thread counts.
 *
 * <p>Training runs on one thread by default: libnd4j's op threads, its master threads, the BLAS
 * (OpenBLAS) threads and the OpenMP team size are all set to {@code driftguard.nd4j.threads}
 * (system property, default 1). With one thread every reduction and matrix product sums in a fixed
 * order, so a training run is reproducible bit for bit; small models on few cores are also much
 * faster that way than with OpenMP teams that spin against the job's own threads. OpenMP's team
 * size is a per-thread setting, so {@link #pinCurrentThread()} must run on every thread that
 * trains (the trainer does it at the start of each fit). {@code OMP_NUM_THREADS=1} in the
 * environment has the same effect for all threads from process start.
 *
 * <p>Loading the backend extracts its native libraries to JavaCPP's cache directory ({@code
 * org.bytedeco.javacpp.cachedir}, by default {@code ~/.javacpp/cache}) on first use and maps them;
 * {@link #startupMillis()} is that one-time cost.
 */
public final class Nd4jRuntime {

    /** System property: threads ND4J may use for one training run (default 1). */
    public static final String THREADS_PROPERTY = "driftguard.nd4j.threads";

    private static final Logger LOG = LoggerFactory.getLogger(Nd4jRuntime.class);

    private static volatile boolean ready;
    private static long startupMillis;
    private static int threads;

    private Nd4jRuntime() {}

    /** Loads ND4J and pins its thread counts; idempotent and thread-safe. */
    public static void ensureReady() {
        if (ready) {
            return;
        }
        synchronized (Nd4jRuntime.class) {
            if (ready) {
                return;
            }
            long start = System.nanoTime();
            muteGradientBanner();
            int n = Integer.getInteger(THREADS_PROPERTY, 1);
            if (n < 1) {
                throw new IllegalArgumentException(THREADS_PROPERTY + " must be at least 1, got " + n);
            }
            Nd4j.getEnvironment().setMaxThreads(n);
            Nd4j.getEnvironment().setMaxMasterThreads(n);
            Nd4j.factory().blas().setMaxThreads(n);
            threads = n;
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
            startupMillis = (System.nanoTime() - start) / 1_000_000;
            ready = true;
            LOG.info("ND4J backend {} ready in {} ms, {} thread(s)",
                    Nd4j.getBackend().getClass().getSimpleName(), startupMillis, n);
        }
    }

    /**
     * SameDiff prints "Added differentiated op ..." to standard output for every op of each
     * gradient graph it builds, with no logger to silence it; the command line writes its results
     * to standard output. Lines with that prefix are dropped, everything else passes unchanged.
     */
    private static void muteGradientBanner() {
        java.io.PrintStream out = System.out;
        if (out instanceof BannerFilter) {
            return;
        }
        System.setOut(new BannerFilter(out));
    }

    /** Standard output without SameDiff's gradient-graph banner. */
    private static final class BannerFilter extends java.io.PrintStream {
        private static final String PREFIX = "Added differentiated op";

        BannerFilter(java.io.PrintStream target) {
            super(target, true);
        }

        @Override
        public void println(String x) {
            if (x == null || !x.startsWith(PREFIX)) {
                super.println(x);
            }
        }

        @Override
        public void println(Object x) {
            if (!(x instanceof String s && s.startsWith(PREFIX))) {
                super.println(x);
            }
        }
    }

    /**
     * Sets the OpenMP team size of the calling thread to {@link #threads()}: without it, ops run on
     * a thread other than the one that loaded ND4J use as many OpenMP threads as there are cores,
     * and their sums are not reproducible.
     */
    public static void pinCurrentThread() {
        ensureReady();
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }

    /** Milliseconds the first {@link #ensureReady()} took (backend load and native extraction). */
    public static long startupMillis() {
        ensureReady();
        return startupMillis;
    }

    /** Threads ND4J was pinned to. */
    public static int threads() {
        ensureReady();
        return threads;
    }
}
