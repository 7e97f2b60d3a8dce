package io.driftguard.operators.sketch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden byte fixtures (version 1 of every sketch, version 2 of the RFF sketch, and the versions
 * that keep missing values: moments v2 and RFF v3): the sketches below, serialised once and kept under
 * src/test/resources so that every later version must still read them.
 *
 * <p>Run {@code main} with the test resources directory as argument to write the missing ones (a new
 * version's fixtures); released ones are never overwritten.
 */
final class SketchFixtures {
    static final String DIR = "/io/driftguard/operators/sketch/";

    private SketchFixtures() {}

    static double[] row(int i) {
        return new double[] {i * 0.5, -i, 1.0 + i % 3};
    }

    /** The i with {@code row(i).equals(r)} among the fixtures' ten input rows, or -1. */
    static int inputIndex(double[] r) {
        for (int i = 0; i < 10; i++) {
            if (java.util.Arrays.equals(row(i), r)) {
                return i;
            }
        }
        return -1;
    }

    static MomentsSketch moments() {
        MomentsSketch s = new MomentsSketch(3);
        for (int i = 0; i < 10; i++) {
            s.update(row(i));
        }
        return s;
    }

    /** Row i with feature 1 missing in every third row (rows 0, 3, 6, 9). */
    static double[] rowWithMissing(int i) {
        double[] r = row(i);
        if (i % 3 == 0) {
            r[1] = Double.NaN;
        }
        return r;
    }

    static MomentsSketch momentsWithMissing() {
        MomentsSketch s = new MomentsSketch(3);
        for (int i = 0; i < 10; i++) {
            s.update(rowWithMissing(i));
        }
        return s;
    }

    static RffSketch rffWithMissing() {
        RffSketch s = new RffSketch(new RffBasis(3, 4, 1.5, 23));
        for (int i = 0; i < 10; i++) {
            s.update(rowWithMissing(i));
        }
        return s;
    }

    static QuantileSketch quantiles() {
        QuantileSketch s = new QuantileSketch(3, 16);
        for (int i = 0; i < 10; i++) {
            s.update(row(i));
        }
        return s;
    }

    static ReservoirSketch reservoir() {
        ReservoirSketch s = new ReservoirSketch(3, 4, true, 17);
        for (int i = 0; i < 10; i++) {
            s.update(row(i), i % 2);
        }
        return s;
    }

    static RffSketch rff() {
        RffSketch s = new RffSketch(new RffBasis(3, 4, 1.5, 23));
        for (int i = 0; i < 10; i++) {
            s.update(row(i));
        }
        return s;
    }

    static WindowSketch window() {
        SketchConfig config = new SketchConfig(3, 4, 16, 4, 29, false);
        WindowSketch s = WindowSketch.create(config, config.rffBasis(2.0));
        for (int i = 0; i < 10; i++) {
            s.update(row(i));
        }
        return s;
    }

    static byte[] load(String name) {
        try (InputStream in = SketchFixtures.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0] + DIR);
        Files.createDirectories(dir);
        write(dir.resolve("moments.v1.bin"), moments().toBytes());
        write(dir.resolve("quantiles.v1.bin"), quantiles().toBytes());
        write(dir.resolve("reservoir.v1.bin"), reservoir().toBytes());
        write(dir.resolve("rff.v2.bin"), rff().toBytes());
        write(dir.resolve("window.v1.bin"), window().toBytes());
        write(dir.resolve("moments.v2.bin"), momentsWithMissing().toBytes());
        write(dir.resolve("rff.v3.bin"), rffWithMissing().toBytes());
    }

    /** Writes a missing fixture; a released one stays as it is. */
    private static void write(Path file, byte[] bytes) throws IOException {
        if (!Files.exists(file)) {
            Files.write(file, bytes);
        }
    }
}
