package io.driftguard.operators.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class WindowSketchTest {
    private static final SketchConfig CONFIG = new SketchConfig(3, 64, 50, 32, 7);

    @Test
    void updatesEveryPartAndMergesLikeTheUnion() {
        Random r = new Random(1);
        RffBasis basis = CONFIG.rffBasis(1.5);
        WindowSketch all = WindowSketch.create(CONFIG, basis);
        WindowSketch a = WindowSketch.create(CONFIG, basis);
        WindowSketch b = WindowSketch.create(CONFIG, basis);
        for (int i = 0; i < 500; i++) {
            double[] x = {r.nextGaussian(), r.nextDouble(), i};
            all.update(x);
            (i % 3 == 0 ? a : b).update(x);
        }
        WindowSketch merged = a.copy();
        merged.merge(b);
        assertThat(merged.count()).isEqualTo(500);
        assertThat(merged.reservoir().size()).isEqualTo(64);
        assertThat(merged.quantiles().orElseThrow().count()).isEqualTo(500);
        assertThat(merged.moments().mean(2)).isCloseTo(249.5, within(1e-12));
        // Within RffSketch's documented bound of 2e-6 per mean cosine or sine sum.
        assertThat(merged.rff().orElseThrow().mmd2(all.rff().orElseThrow()))
                .isCloseTo(0.0, within(2 * 2e-6 * 2e-6));
        assertThat(a.count()).isEqualTo(167);
    }

    @Test
    void stagedRecordsGiveRecordAtATimeResultsAndSurviveBytesAndCopies() {
        for (boolean labelled : new boolean[] {false, true}) {
            SketchConfig config = CONFIG.withLabelled(labelled);
            RffBasis basis = config.rffBasis(1.5);
            int capacity = WindowSketch.stageCapacity(3);
            assertThat(capacity).isEqualTo(256);
            WindowSketch w = WindowSketch.create(config, basis);
            // the parts alone, one record at a time, seeded as WindowSketch.create seeds them
            MomentsSketch moments = new MomentsSketch(3);
            ReservoirSketch reservoir =
                    new ReservoirSketch(3, 64, labelled, SplitMix64.derive(config.seed(), SketchConfig.RESERVOIR_STREAM));
            RffSketch rff = new RffSketch(basis);
            Random r = new Random(5);
            int first = 2 * capacity + 11; // two full buffers and 11 staged records
            for (int i = 0; i < first; i++) {
                add(w, moments, reservoir, rff, r, i, labelled);
            }
            assertThat(w.count()).isEqualTo(first);
            byte[] bytes = w.toBytes();
            assertThat(WindowSketch.fromBytes(bytes).toBytes()).isEqualTo(bytes);
            WindowSketch copy = w.copy();
            assertThat(w.toBytes()).isEqualTo(bytes); // neither copying nor serialising drains
            assertThat(copy.toBytes()).isEqualTo(bytes);
            WindowSketch restored = WindowSketch.fromBytes(bytes);
            assertThat(restored.count()).isEqualTo(first);
            long state = r.nextLong();
            for (WindowSketch s : new WindowSketch[] {w, restored, copy}) {
                Random again = new Random(state);
                for (int i = first; i < first + 50; i++) {
                    add(s, null, null, null, again, i, labelled);
                }
            }
            Random again = new Random(state);
            for (int i = first; i < first + 50; i++) {
                add(null, moments, reservoir, rff, again, i, labelled);
            }
            for (WindowSketch s : new WindowSketch[] {w, restored, copy}) {
                assertThat(s.count()).isEqualTo(first + 50);
                assertThat(s.moments().toBytes()).isEqualTo(moments.toBytes());
                assertThat(s.reservoir().toBytes()).isEqualTo(reservoir.toBytes());
                assertThat(s.rff().orElseThrow().toBytes()).isEqualTo(rff.toBytes());
                assertThat(s.quantiles().orElseThrow().count()).isEqualTo(first + 50);
            }
            // drained, the bytes carry no staged record and still round-trip
            byte[] drained = w.toBytes();
            assertThat(WindowSketch.fromBytes(drained).toBytes()).isEqualTo(drained);
        }
    }

    /**
     * KLL k 0 keeps no quantile sketch: every other part is bit for bit that of the full
     * configuration on the same records, and the bytes (which lack the quantile part) round-trip,
     * copy and merge.
     */
    @Test
    void withoutQuantilesTheOtherPartsAreUnchanged() {
        SketchConfig none = new SketchConfig(3, 64, 0, 32, 7);
        assertThat(none.hasQuantiles()).isFalse();
        assertThat(CONFIG.hasQuantiles()).isTrue();
        RffBasis basis = CONFIG.rffBasis(1.5);
        WindowSketch full = WindowSketch.create(CONFIG, basis);
        WindowSketch lean = WindowSketch.create(none, none.rffBasis(1.5));
        WindowSketch half = WindowSketch.create(none, none.rffBasis(1.5));
        Random r = new Random(9);
        for (int i = 0; i < 301; i++) { // ends with staged records
            double[] x = {r.nextGaussian(), r.nextDouble(), i};
            full.update(x);
            lean.update(x);
            if (i < 150) {
                half.update(x);
            }
        }
        byte[] bytes = lean.toBytes();
        WindowSketch restored = WindowSketch.fromBytes(bytes);
        assertThat(restored.toBytes()).isEqualTo(bytes);
        assertThat(lean.copy().toBytes()).isEqualTo(bytes);
        assertThat(bytes.length).isLessThan(full.toBytes().length);
        for (WindowSketch s : new WindowSketch[] {lean, restored}) {
            assertThat(s.quantiles()).isEmpty();
            assertThat(s.count()).isEqualTo(301);
            assertThat(s.moments().toBytes()).isEqualTo(full.moments().toBytes());
            assertThat(s.reservoir().toBytes()).isEqualTo(full.reservoir().toBytes());
            assertThat(s.rff().orElseThrow().toBytes()).isEqualTo(full.rff().orElseThrow().toBytes());
        }
        WindowSketch other = WindowSketch.create(none, none.rffBasis(1.5));
        other.update(new double[] {1, 2, 3});
        assertThat(half.mergeableWith(other)).isTrue();
        assertThat(half.mergeableWith(full)).isFalse();
        assertThat(half.mergeableWith(WindowSketch.create(none))).isFalse(); // no random Fourier part
        assertThat(half.mergeableWith(WindowSketch.create(none, none.rffBasis(2.5)))).isFalse();
        half.merge(other);
        assertThat(half.count()).isEqualTo(151);
        assertThat(half.quantiles()).isEmpty();
        assertThatThrownBy(() -> half.merge(full)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SketchConfig(3, 64, 7, 32, 7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 or in [8, 65535]");
    }

    /**
     * The staged path hands KLL nearly sorted batches; its answers must stay within KLL's
     * documented rank error against the exact ranks, for input in random order, in ascending
     * order (each batch already sorted) and heavy-tailed with ties.
     */
    @Test
    void quantilesFromStagedBatchesStayWithinTheKllBound() {
        SketchConfig config = new SketchConfig(3, 64, 200, 8, 7);
        int n = 60_000;
        Random r = new Random(17);
        double[][] cols = new double[3][n];
        for (int i = 0; i < n; i++) {
            cols[0][i] = r.nextGaussian();
            cols[1][i] = i * 1e-3 - 20;
            cols[2][i] = Math.round(Math.exp(r.nextGaussian() * 2) * 4) / 4.0;
        }
        WindowSketch w = WindowSketch.create(config);
        for (int i = 0; i < n; i++) {
            w.update(new double[] {cols[0][i], cols[1][i], cols[2][i]});
        }
        QuantileSketch q = w.quantiles().orElseThrow();
        assertThat(q.count()).isEqualTo(n);
        double eps = q.normalizedRankError();
        for (int f = 0; f < 3; f++) {
            double[] sorted = cols[f].clone();
            java.util.Arrays.sort(sorted);
            assertThat(q.quantile(f, 0.0)).isEqualTo(sorted[0]);
            assertThat(q.quantile(f, 1.0)).isEqualTo(sorted[n - 1]);
            for (int p = 1; p < 100; p++) {
                double v = q.quantile(f, p / 100.0);
                // exact fraction of values <= v and < v: the quantile's true rank lies between
                int le = upper(sorted, v);
                int lt = lower(sorted, v);
                double target = p / 100.0;
                assertThat(target)
                        .as("feature %s, q %s", f, target)
                        .isBetween((double) lt / n - eps, (double) le / n + eps);
            }
        }
    }

    private static int upper(double[] sorted, double v) {
        int i = java.util.Arrays.binarySearch(sorted, v);
        if (i < 0) {
            return -i - 1;
        }
        while (i < sorted.length && sorted[i] == v) {
            i++;
        }
        return i;
    }

    private static int lower(double[] sorted, double v) {
        int i = java.util.Arrays.binarySearch(sorted, v);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && sorted[i - 1] == v) {
            i--;
        }
        return i;
    }

    private static void add(
            WindowSketch w, MomentsSketch m, ReservoirSketch res, RffSketch f, Random r, int i, boolean labelled) {
        double[] x = {r.nextGaussian(), r.nextDouble() * 3, i};
        double label = i % 4;
        if (w != null) {
            if (labelled) {
                w.update(x, label);
            } else {
                w.update(x);
            }
        }
        if (m != null) {
            m.update(x);
            if (labelled) {
                res.update(x, label);
            } else {
                res.update(x);
            }
            f.update(x);
        }
    }

    /**
     * A basis attached after more records than the reservoir holds: the earlier records enter as
     * their sample's mean counted as all of them, so the window's embedding stays the mean over
     * the whole window. The earlier quarter here is shifted by 2 in the first feature; counted
     * as only its 64 sampled records it would barely move the embedding.
     */
    @Test
    void rffAttachedLateWeighsTheEarlierRecordsAsAllOfThem() {
        java.util.Random r = new java.util.Random(5);
        double[][] rows = new double[4000][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {r.nextGaussian() + (i < 1000 ? 2 : 0), r.nextGaussian(), r.nextGaussian()};
        }
        RffBasis basis = CONFIG.rffBasis(3.0);
        WindowSketch w = WindowSketch.create(CONFIG);
        for (int i = 0; i < 1000; i++) {
            w.update(rows[i]);
        }
        w.attachRff(basis);
        for (int i = 1000; i < rows.length; i++) {
            w.update(rows[i]);
        }
        RffSketch got = w.rff().orElseThrow();
        assertThat(got.count()).isEqualTo(4000);
        RffSketch exact = RffSketch.fromSamples(basis, rows);
        RffSketch later = RffSketch.fromSamples(basis, java.util.Arrays.copyOfRange(rows, 1000, rows.length));
        assertThat(got.mmd2(exact)).isLessThan(0.25 * got.mmd2(later));
        assertThatThrownBy(() -> RffSketch.fromSample(basis, rows, 10)).hasMessageContaining("below");
    }

    @Test
    void rffIsAttachableAfterTheFact() {
        WindowSketch w = WindowSketch.create(CONFIG);
        assertThat(w.rff()).isEmpty();
        double[][] rows = new double[40][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {i, -i, 0.5 * i};
            w.update(rows[i]);
        }
        RffBasis basis = CONFIG.rffBasis(3.0);
        w.attachRff(basis);
        // Fewer records than the reservoir holds: the attached sketch is exact.
        RffSketch direct = RffSketch.fromSamples(basis, rows);
        assertThat(w.rff().orElseThrow().mmd2(direct)).isCloseTo(0.0, within(1e-20));
        assertThatThrownBy(() -> w.attachRff(basis)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> w.merge(withOne())).hasMessageContaining("only one side");
        assertThatThrownBy(() -> w.merge(w)).hasMessageContaining("itself");
        assertThatThrownBy(() -> w.merge(WindowSketch.create(new SketchConfig(3, 64, 50, 32, 8))))
                .hasMessageContaining("config");
        WindowSketch empty = WindowSketch.create(CONFIG);
        byte[] before = w.toBytes();
        w.merge(empty);
        assertThat(w.toBytes()).isEqualTo(before);
    }

    private static WindowSketch withOne() {
        WindowSketch s = WindowSketch.create(CONFIG);
        s.update(new double[] {1, 2, 3});
        return s;
    }

    @Test
    void labelledWindows() {
        SketchConfig config = CONFIG.withLabelled(true);
        WindowSketch w = WindowSketch.create(config);
        w.update(new double[] {1, 2, 3}, 4.0);
        assertThat(w.reservoir().labels()).containsExactly(4.0);
        assertThatThrownBy(() -> w.update(new double[] {1, 2, 3}))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> w.update(new double[] {1, 2, 3}, Double.NaN))
                .hasMessageContaining("label must be finite");
        assertThatThrownBy(() -> withOne().update(new double[] {1, 2, 3}, 4.0))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void missingValuesReachEveryPartWithoutBreakingIt() {
        Random r = new Random(5);
        RffBasis basis = CONFIG.rffBasis(1.5);
        WindowSketch w = WindowSketch.create(CONFIG, basis);
        int missing1 = 0;
        for (int i = 0; i < 1000; i++) {
            double[] x = {r.nextGaussian(), r.nextDouble(), i};
            if (r.nextDouble() < 0.2) {
                x[1] = Double.NaN;
                missing1++;
            }
            w.update(x);
            if (i == 500) {
                w = WindowSketch.fromBytes(w.toBytes()); // staged NaN records survive the bytes
            }
        }
        assertThat(w.count()).isEqualTo(1000);
        MomentsSketch m = w.moments();
        assertThat(m.missingRate(0)).isZero();
        assertThat(m.missingRate(1)).isEqualTo(missing1 / 1000.0);
        assertThat(m.presentCount(1)).isEqualTo(1000 - missing1);
        assertThat(m.mean(1)).isCloseTo(0.5, within(0.05));
        QuantileSketch q = w.quantiles().orElseThrow();
        assertThat(q.count(0)).isEqualTo(1000);
        assertThat(q.count(1)).isEqualTo(1000 - missing1);
        assertThat(q.quantile(1, 0.5)).isCloseTo(0.5, within(0.08));
        int nanRows = 0;
        for (double[] row : w.reservoir().rows()) {
            nanRows += Double.isNaN(row[1]) ? 1 : 0;
            assertThat(row[0]).isFinite();
        }
        assertThat(nanRows).isBetween(3, 30); // the reservoir keeps rows with their NaN (about 13 of 64)
        RffSketch f = w.rff().orElseThrow();
        assertThat(f.runningMean(1)).isCloseTo(m.mean(1), within(0.05));
        for (double v : f.meanEmbedding()) {
            assertThat(v).isFinite();
        }
        WindowSketch back = WindowSketch.fromBytes(w.toBytes());
        assertThat(back.moments().missingRate(1)).isEqualTo(m.missingRate(1));
    }

    @Test
    void rejectedRecordsLeaveEveryPartUnchanged() {
        WindowSketch w = withOne();
        byte[] before = w.toBytes();
        assertThatThrownBy(() -> w.update(new double[] {1, Double.POSITIVE_INFINITY, 3}))
                .hasMessageContaining("not finite");
        assertThatThrownBy(() -> w.update(new double[] {1, 2}))
                .hasMessageContaining("dimension");
        assertThatThrownBy(() -> w.update(null)).hasMessageContaining("null");
        assertThat(w.toBytes()).isEqualTo(before);
    }

    @Test
    void configIsValidated() {
        assertThatThrownBy(() -> new SketchConfig(0, 64, 50, 32, 7)).hasMessageContaining("dimension");
        assertThatThrownBy(() -> new SketchConfig(3, 1, 50, 32, 7)).hasMessageContaining("reservoirSize");
        assertThatThrownBy(() -> new SketchConfig(3, 64, 2, 32, 7)).hasMessageContaining("kllK");
        assertThatThrownBy(() -> new SketchConfig(3, 64, 50, 0, 7)).hasMessageContaining("rffPairs");
        assertThat(CONFIG.rffBasis(2.0)).isEqualTo(CONFIG.rffBasis(2.0));
    }

    @Test
    void bytesRoundTripAndGoldenV1() {
        WindowSketch w = WindowSketch.create(CONFIG);
        for (int i = 0; i < 100; i++) {
            w.update(new double[] {i, 2 * i, -i});
        }
        byte[] bytes = w.toBytes();
        assertThat(bytes[0]).isEqualTo((byte) 2);
        assertThat(WindowSketch.fromBytes(bytes).toBytes()).isEqualTo(bytes);
        w.attachRff(CONFIG.rffBasis(10));
        byte[] withRff = w.toBytes();
        assertThat(WindowSketch.fromBytes(withRff).toBytes()).isEqualTo(withRff);
        byte[] golden = SketchFixtures.load("window.v1.bin");
        WindowSketch g = WindowSketch.fromBytes(golden);
        // Re-serialised in the current layout (its RFF part as RffSketch version 2), stable.
        assertThat(WindowSketch.fromBytes(g.toBytes()).toBytes()).isEqualTo(g.toBytes());
        assertThat(g.count()).isEqualTo(10);
        WindowSketch fresh = SketchFixtures.window();
        assertThat(g.moments().toBytes()).isEqualTo(fresh.moments().toBytes());
        // the reservoir's draws changed since (one multiplication instead of a division per
        // record): the golden sample is another valid sample of the same records
        assertThat(g.reservoir().seen()).isEqualTo(fresh.reservoir().seen());
        assertThat(g.reservoir().size()).isEqualTo(fresh.reservoir().size());
        for (double[] r : g.reservoir().rows()) {
            assertThat(SketchFixtures.inputIndex(r)).isNotNegative();
        }
        // Version 1 sums came from a double-precision feature map, today's from a float one.
        assertThat(g.rff().orElseThrow().mmd2(fresh.rff().orElseThrow())).isCloseTo(0.0, within(1e-10));
        assertThat(g.config()).isEqualTo(new SketchConfig(3, 4, 16, 4, 29, false));
    }

    @Test
    void windowBytesAreToldApartFromAPartsBytes() {
        WindowSketch w = withOne();
        assertThat(WindowSketch.isWindowSketch(w.toBytes())).isTrue();
        assertThat(WindowSketch.isWindowSketch(SketchFixtures.load("window.v1.bin"))).isTrue();
        assertThat(WindowSketch.isWindowSketch(w.reservoir().toBytes())).isFalse();
        assertThat(WindowSketch.isWindowSketch(w.moments().toBytes())).isFalse();
        assertThat(WindowSketch.isWindowSketch(new byte[] {2})).isFalse();
        assertThat(WindowSketch.isWindowSketch(null)).isFalse();
    }
}
