package io.driftguard.bench;

/** The layout of the benchmarks' generated CSV files: columns ts, key, x0..x(d-1). */
public final class SyntheticCsv {

    private SyntheticCsv() {}

    /** The header line, newline included, for records of {@code dims} features. */
    public static String header(int dims) {
        StringBuilder sb = new StringBuilder("ts,key");
        for (int f = 0; f < dims; f++) {
            sb.append(",x").append(f);
        }
        return sb.append('\n').toString();
    }
}
