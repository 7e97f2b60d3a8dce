package io.driftguard.operators.sketch;

/**
 * A small seeded pseudo-random generator whose whole state is one {@code long}, so that sketches
 * can serialise it and continue the same sequence after a restore.
 *
 * <p>The algorithm is SplitMix64 (Steele, Lea and Flood 2014): a Weyl sequence passed through a
 * 64-bit mixing function. It is not cryptographic. Not thread-safe.
 */
public final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    /** Creates a generator whose sequence is fixed by {@code seed}. */
    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** Returns the state; {@code new SplitMix64(getState())} continues the same sequence. */
    public long getState() {
        return state;
    }

    /** Returns the next 64 random bits. */
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Returns a uniform double in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Returns a uniform integer in [0, bound), without modulo bias. */
    public int nextInt(int bound) {
        Checks.checkArgument(bound > 0, "bound must be positive, got %s", bound);
        return (int) nextLong(bound);
    }

    /** Returns a uniform long in [0, bound), without modulo bias. */
    public long nextLong(long bound) {
        Checks.checkArgument(bound > 0, "bound must be positive, got %s", bound);
        long m = bound - 1;
        long r = nextLong() >>> 1;
        if ((bound & m) == 0) {
            return r & m;
        }
        // Rejection keeps every residue equally likely: u - r + m overflows exactly when u falls
        // in the incomplete last block of size bound.
        long u = r;
        while (u - (r = u % bound) + m < 0L) {
            u = nextLong() >>> 1;
        }
        return r;
    }

    /**
     * Returns a uniform long in [0, {@code bound}) by Lemire's multiply-and-shift method (Lemire
     * 2019, "Fast random integer generation in an interval"): the high 64 bits of a random 64-bit
     * word times the bound, rejecting the words whose low 64 bits fall below 2^64 mod bound. Same
     * law as {@link #nextLong(long)}, a different sequence; no division except on the rejection
     * path, taken with probability below bound / 2^64. For per-record use.
     */
    public long nextLongMultiply(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long x = nextLong();
        long low = x * bound;
        if (Long.compareUnsigned(low, bound) < 0) {
            long threshold = Long.remainderUnsigned(-bound, bound);
            while (Long.compareUnsigned(low, threshold) < 0) {
                x = nextLong();
                low = x * bound;
            }
        }
        // unsigned high word: the signed product is off by bound when x's top bit is set
        return Math.multiplyHigh(x, bound) + ((x >> 63) & bound);
    }

    /**
     * Returns a standard normal variate (Box-Muller with StrictMath, so that the sequence is the
     * same on every JVM and platform).
     */
    public double nextGaussian() {
        double u1;
        do {
            u1 = nextDouble();
        } while (u1 == 0.0);
        double u2 = nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
    }

    /** Derives an independent seed for a named sub-stream of {@code seed}. */
    public static long derive(long seed, long stream) {
        return mix(seed ^ mix(stream + GOLDEN_GAMMA));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
