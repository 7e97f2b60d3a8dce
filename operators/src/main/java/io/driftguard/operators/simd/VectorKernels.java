package io.driftguard.operators.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/** Loaded only when the Vector API module is resolved; reports whether real vectors exist. */
final class VectorKernels {
    private VectorKernels() {}

    /** At least four lanes of floats and two of doubles, i.e. vector hardware the JIT targets. */
    static boolean probe() {
        return FloatVector.SPECIES_PREFERRED.length() >= 4
                && DoubleVector.SPECIES_PREFERRED.length() >= 2;
    }
}
