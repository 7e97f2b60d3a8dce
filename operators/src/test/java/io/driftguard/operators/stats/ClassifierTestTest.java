package io.driftguard.operators.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

class ClassifierTestTest {

    /** P(Binomial(n, 1/2) <= e) in exact integer arithmetic. */
    private static double exact(int e, int n) {
        BigInteger sum = BigInteger.ZERO;
        BigInteger c = BigInteger.ONE;
        for (int k = 0; k <= e; k++) {
            if (k > 0) {
                c = c.multiply(BigInteger.valueOf(n - k + 1)).divide(BigInteger.valueOf(k));
            }
            sum = sum.add(c);
        }
        return new BigDecimal(sum).divide(new BigDecimal(BigInteger.TWO.pow(n)), MathContext.DECIMAL64).doubleValue();
    }

    @Test
    void matchesTheExactBinomialTail() {
        for (int n : new int[] {1, 2, 7, 40, 200, 512}) {
            for (int e = 0; e <= n; e += Math.max(1, n / 23)) {
                assertThat(ClassifierTest.pValue(e, n)).as("e=%d n=%d", e, n)
                        .isCloseTo(exact(e, n), within(1e-12 + 1e-9 * exact(e, n)));
            }
        }
        assertThat(ClassifierTest.pValue(0, 0)).isEqualTo(1.0);
        assertThat(ClassifierTest.pValue(256, 512)).isGreaterThan(0.5);
        // a tie counted as half an error rounds down
        assertThat(ClassifierTest.pValue(10.5, 40)).isEqualTo(ClassifierTest.pValue(10, 40));
    }

    @Test
    void isValidUnderTheNull() {
        // P(p <= alpha) <= alpha for the discrete null distribution itself
        int n = 100;
        for (double alpha : new double[] {0.001, 0.01, 0.05}) {
            double mass = 0;
            for (int e = 0; e <= n; e++) {
                if (ClassifierTest.pValue(e, n) <= alpha) {
                    mass += exact(e, n) - (e > 0 ? exact(e - 1, n) : 0);
                }
            }
            assertThat(mass).isLessThanOrEqualTo(alpha);
        }
    }
}
