package io.driftguard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpdPublishedScoresTest {

    private static final TcpdPublishedScores PUB = TcpdPublishedScores.shipped();

    @Test
    void theTableHoldsEveryMethodOfTheDefaultExperiment() {
        assertThat(PUB.methods())
                .containsExactly(
                        "amoc", "binseg", "bocpd", "bocpdms", "cpnp", "ecp", "kcpa", "pelt",
                        "prophet", "rbocpdms", "rfpop", "segneigh", "wbs", "zero");
        assertThat(PUB.has("nile")).isTrue();
        assertThat(PUB.has("no_such_series")).isFalse();
        assertThat(PUB.f1("no_such_series", "binseg")).isNaN();
        assertThatThrownBy(() -> PUB.f1("nile", "no_such_method"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thePapersDefaultSeriesAreTheCompleteUnivariateOnes() {
        List<String> paper = PUB.defaultTableSeries();
        assertThat(paper).hasSize(35);
        assertThat(paper)
                .contains(
                        "quality_control_1", "quality_control_2", "quality_control_3",
                        "quality_control_4", "quality_control_5", "nile", "centralia")
                // missing values, no rbocpdms result, multivariate
                .doesNotContain(
                        "uk_coal_employ", "bitcoin", "scanline_126007", "apple", "bee_waggle_6",
                        "occupancy", "run_log");
    }

    @Test
    void theMeansOverThePapersSeriesAreThePapersTable() {
        List<String> paper = PUB.defaultTableSeries();
        for (String m : List.of("binseg", "bocpd")) {
            double[] mean = PUB.mean(m, paper);
            double[] table = TcpdPublishedScores.PAPER_TABLE.get(m);
            assertThat(mean[0]).as(m + " F1").isCloseTo(table[0], within(0.0005));
            assertThat(mean[1]).as(m + " cover").isCloseTo(table[1], within(0.0005));
        }
        assertThat(PUB.mean("amoc", paper)[0]).isCloseTo(0.704, within(0.0005));
        assertThat(PUB.mean("pelt", paper)[1]).isCloseTo(0.689, within(0.0005));
        assertThat(PUB.mean("zero", paper)[0]).isCloseTo(0.669, within(0.0005));
    }

    @Test
    void theLikeForLikeMeanOfTwoSeriesByHand() {
        // bank: binseg F1 0.4, cover 0.5094664371772806; bocpd F1 0.046511627906976744,
        // cover 0.04819277108433735. nile: binseg 1.0 / 0.8800821917808218; bocpd 1.0 /
        // 0.8879999999999999.
        List<String> two = List.of("bank", "nile");
        assertThat(PUB.mean("binseg", two))
                .containsExactly(
                        new double[] {(0.4 + 1.0) / 2, (0.5094664371772806 + 0.8800821917808218) / 2},
                        within(1e-15));
        assertThat(PUB.mean("bocpd", two))
                .containsExactly(
                        new double[] {
                            (0.046511627906976744 + 1.0) / 2,
                            (0.04819277108433735 + 0.8879999999999999) / 2
                        },
                        within(1e-15));
    }

    @Test
    void aSeriesWithoutAPublishedScoreMakesTheMeanUndefined() {
        assertThat(PUB.f1("uk_coal_employ", "binseg")).isNaN();
        assertThat(PUB.mean("binseg", List.of("nile", "uk_coal_employ"))[0]).isNaN();
        assertThat(PUB.mean("bocpd", List.of("nile", "no_such_series"))[1]).isNaN();
        assertThat(PUB.mean("bocpd", List.of())[0]).isNaN();
        assertThat(PUB.mean("bocpd", List.of("occupancy", "run_log"))[0])
                .isCloseTo((0.8074418604651163 + 1.0) / 2, within(1e-15));
    }

    @Test
    void parseRejectsAMalformedTable() throws IOException {
        assertThatThrownBy(() -> parse("# only a comment\n")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> parse("name,uni,metric,a\n")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> parse("series,univariate,metric,a,b\nx,true,f1,1\n"))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> parse("series,univariate,metric,a\nx,true,auc,1\n"))
                .isInstanceOf(IOException.class);
        TcpdPublishedScores t = parse("series,univariate,metric,a\nx,true,f1,0.5\nx,true,cover,\n");
        assertThat(t.f1("x", "a")).isEqualTo(0.5);
        assertThat(t.cover("x", "a")).isNaN();
        assertThat(t.defaultTableSeries()).isEmpty();
    }

    private static TcpdPublishedScores parse(String text) throws IOException {
        return TcpdPublishedScores.parse(new BufferedReader(new StringReader(text)));
    }
}
