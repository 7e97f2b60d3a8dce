package io.driftguard.operators.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class SplitMix64Test {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    /** Lemire's method in exact integer arithmetic, on the same words. */
    private static long reference(SplitMix64 words, long bound) {
        BigInteger b = BigInteger.valueOf(bound);
        BigInteger threshold = TWO_64.mod(b);
        while (true) {
            BigInteger x = new BigInteger(Long.toUnsignedString(words.nextLong()));
            BigInteger m = x.multiply(b);
            if (m.mod(TWO_64).compareTo(threshold) >= 0) {
                return m.shiftRight(64).longValueExact();
            }
        }
    }

    @Test
    void multiplyDrawsMatchExactArithmetic() {
        // 3 * 2^61 rejects a quarter of the words, so the rejection path is taken often
        long[] bounds = {1, 2, 3, 7, 256, 1000, 60_000, 1L << 40, 3L << 61, Long.MAX_VALUE};
        for (long bound : bounds) {
            SplitMix64 g = new SplitMix64(bound * 31 + 5);
            SplitMix64 words = new SplitMix64(bound * 31 + 5);
            for (int i = 0; i < 2000; i++) {
                long v = g.nextLongMultiply(bound);
                assertThat(v).isEqualTo(reference(words, bound)).isBetween(0L, bound - 1);
            }
            assertThat(g.getState()).isEqualTo(words.getState());
        }
    }

    @Test
    void multiplyDrawsAreUniform() {
        int bound = 10;
        int n = 100_000;
        long[] counts = new long[bound];
        SplitMix64 g = new SplitMix64(11);
        for (int i = 0; i < n; i++) {
            counts[(int) g.nextLongMultiply(bound)]++;
        }
        double expected = n / (double) bound;
        double chi2 = 0;
        for (long c : counts) {
            chi2 += (c - expected) * (c - expected) / expected;
        }
        // 99.9% quantile of chi-square with 9 degrees of freedom
        assertThat(chi2).isLessThan(27.88);
    }

    @Test
    void rejectsNonPositiveBounds() {
        SplitMix64 g = new SplitMix64(1);
        assertThatThrownBy(() -> g.nextLongMultiply(0)).hasMessageContaining("bound");
        assertThatThrownBy(() -> g.nextLongMultiply(-3)).hasMessageContaining("bound");
    }
}
