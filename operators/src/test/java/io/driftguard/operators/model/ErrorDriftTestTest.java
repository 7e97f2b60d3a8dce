package io.driftguard.operators.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ErrorDriftTestTest {

    @Test
    void normalTailMatchesTabulatedValues() {
        assertThat(ErrorDriftTest.upperTail(0)).isCloseTo(0.5, within(1e-7));
        assertThat(ErrorDriftTest.upperTail(1.959963985)).isCloseTo(0.025, within(1e-7));
        assertThat(ErrorDriftTest.upperTail(3.090232306)).isCloseTo(0.001, within(1e-8));
        assertThat(ErrorDriftTest.upperTail(-1.644853627)).isCloseTo(0.95, within(1e-7));
    }

    @Test
    void falseConfirmationsStayNearAlphaUnderAConstantErrorRate() {
        Random rnd = new Random(11);
        double alpha = 0.01;
        int block = 200;
        int blocks = 0;
        int alarms = 0;
        for (int run = 0; run < 60; run++) {
            ErrorDriftTest t = new ErrorDriftTest();
            for (int i = 0; i < 200 * 101; i++) {
                double p = t.add(rnd.nextDouble() < 0.25 ? 1 : 0, i, block);
                if (!Double.isNaN(p)) {
                    blocks++;
                    if (p < alpha) {
                        alarms++;
                    }
                }
            }
        }
        // each block compares with the same baseline, so alarms are correlated within a run; the
        // rate over 6,000 blocks still sits near alpha
        assertThat(blocks).isEqualTo(6000);
        assertThat((double) alarms / blocks).isLessThan(3 * alpha);
    }

    @Test
    void aDoubledErrorRateIsConfirmedInTheFirstBlock() {
        Random rnd = new Random(5);
        ErrorDriftTest t = new ErrorDriftTest();
        for (int i = 0; i < 200; i++) {
            t.add(rnd.nextDouble() < 0.2 ? 1 : 0, i, 200);
        }
        double p = Double.NaN;
        for (int i = 200; i < 400; i++) {
            p = t.add(rnd.nextDouble() < 0.45 ? 1 : 0, i, 200);
        }
        assertThat(p).isLessThan(1e-3);
        assertThat(t.blockStart()).isEqualTo(200);
    }
}
