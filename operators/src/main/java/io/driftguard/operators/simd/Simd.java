package io.driftguard.operators.simd;

/**
 * Whether the explicitly vectorised kernels of kernels next to their scalar loops (for example the permutation test and the RFF update) may run.
 *
 * <p>They need the incubating Vector API, which the JVM only resolves when started with {@code
 * --add-modules jdk.incubator.vector}; without it (or with {@code -Ddriftguard.simd=false}) every
 * caller uses its scalar loop. Both paths perform the same floating-point operations in the same
 * order, so results are bit for bit identical; only speed differs.
 */
public final class Simd {
    /** System property that disables the vector kernels when set to {@code false}. */
    public static final String PROPERTY = "driftguard.simd";

    private static final boolean ENABLED = detect();

    private Simd() {}

    /** True when the Vector API module is present and the kernels are not disabled. */
    public static boolean enabled() {
        return ENABLED;
    }

    private static boolean detect() {
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"))) {
            return false;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            // Touch the species once: a JVM without usable vector support fails here, not later.
            return VectorKernels.probe();
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }
}
