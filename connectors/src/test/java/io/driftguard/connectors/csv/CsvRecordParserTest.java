package io.driftguard.connectors.csv;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.connectors.parse.MissingMarkers;
import io.driftguard.connectors.serde.ParseResult;
import io.driftguard.operators.record.SeriesRecord;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CsvRecordParserTest {

    private static final List<String> HEADER = List.of("ts", "sensor", "temp", "load", "y");

    private final CsvRecordParser full =
            new CsvRecordParser(CsvSchema.resolve(HEADER, "ts", "sensor", "y", null));

    private static SeriesRecord ok(CsvRecordParser p, long row, String text) {
        ParseResult r = p.parse(new CsvLine(row, text));
        assertThat(r.error()).as("error for '%s'", text).isNull();
        return r.record();
    }

    private static String error(CsvRecordParser p, String text) {
        ParseResult r = p.parse(new CsvLine(3, text));
        assertThat(r.isOk()).as("parsed '%s'", text).isFalse();
        return r.error();
    }

    /** Feature cells parse to exactly Double.parseDouble's value, and what it rejects is rejected. */
    @Test
    void numbersParseLikeTheJdk() {
        CsvRecordParser p = new CsvRecordParser(CsvSchema.resolve(List.of("a"), null, null, null, null));
        String[] valid = {
            "0", "-0", "1", "-1.5", "3e2", "1E-310", "4.9e-324", "1.7976931348623157e308",
            "0.1", "123456789012345678901234567890", "2.2250738585072012e-308", "1.5d", "2f",
            "+7", ".5", "5.", "0x1p3", "9007199254740993"
        };
        for (String v : valid) {
            SeriesRecord r = ok(p, 0, v);
            assertThat(Double.doubleToRawLongBits(r.features()[0]))
                    .as(v)
                    .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(v)));
        }
        for (String bad : new String[] {"1e400", "-1e400", "NaN", "Infinity", "1,5", "abc", "1.2.3", "--1"}) {
            ParseResult r = p.parse(new CsvLine(0, bad));
            assertThat(r.record()).as(bad).isNull();
            assertThat(r.error()).as(bad).isNotBlank();
        }
    }

    @Test
    void fullRowBecomesARecord() {
        SeriesRecord r = ok(full, 0, "1700000000123,s-1,0.5,-2,UP");
        assertThat(r.key()).isEqualTo("s-1");
        assertThat(r.ts()).isEqualTo(1_700_000_000_123L);
        assertThat(r.features()).containsExactly(0.5, -2.0);
        assertThat(r.featureNames()).containsExactly("temp", "load");
        assertThat(r.label()).isEqualTo("UP");
    }

    @Test
    void timesMayBeIsoOrSpaceSeparatedUtc() {
        assertThat(ok(full, 0, "2023-11-14T22:13:20Z,s,1,2,").ts()).isEqualTo(1_700_000_000_000L);
        assertThat(ok(full, 0, "2023-11-14 22:13:20,s,1,2,").ts()).isEqualTo(1_700_000_000_000L);
        assertThat(ok(full, 0, "\"2023-11-14 22:13:20\",s,1,2,").ts()).isEqualTo(1_700_000_000_000L);
    }

    @Test
    void cellsAreTrimmedAndMayBeQuoted() {
        SeriesRecord r = ok(full, 0, " 5 , k ,\" 1.25 \", 3e2 , cls ");
        assertThat(r.ts()).isEqualTo(5L);
        assertThat(r.key()).isEqualTo("k");
        assertThat(r.features()).containsExactly(1.25, 300.0);
        assertThat(r.label()).isEqualTo("cls");
    }

    @Test
    void emptyLabelIsNoLabel() {
        assertThat(ok(full, 0, "5,k,1,2,").label()).isNull();
        assertThat(ok(full, 0, "5,k,1,2,  ").label()).isNull();
    }

    @Test
    void withoutTimeColumnTheRowIndexIsTheTimeAndTheKeyIsDefault() {
        CsvRecordParser p = new CsvRecordParser(CsvSchema.resolve(List.of("a", "b"), null, null, null, null));
        SeriesRecord first = ok(p, 0, "1,2");
        SeriesRecord later = ok(p, 41, "3,4");
        assertThat(first.ts()).isZero();
        assertThat(later.ts()).isEqualTo(41L);
        assertThat(first.key()).isEqualTo(CsvSchema.DEFAULT_KEY).isEqualTo("default");
        assertThat(later.features()).containsExactly(3.0, 4.0);
        assertThat(later.label()).isNull();
    }

    @Test
    void seededRowsRoundTrip() {
        CsvRecordParser p = new CsvRecordParser(CsvSchema.resolve(List.of("t", "x0", "x1", "x2"), "t", null, null, null));
        Random rnd = new Random(11);
        for (int i = 0; i < 200; i++) {
            double[] x = {rnd.nextGaussian(), rnd.nextGaussian() * 100, rnd.nextDouble() - 0.5};
            long t = 1_600_000_000_000L + i * 1000L;
            String line = String.format(Locale.ROOT, "%d,%s,%s,%s", t, x[0], x[1], x[2]);
            SeriesRecord r = ok(p, i, line);
            assertThat(r.ts()).isEqualTo(t);
            assertThat(r.features()).containsExactly(x);
        }
    }

    @Test
    void wrongColumnCountIsReported() {
        assertThat(error(full, "1,k,2,3")).isEqualTo("expected 5 columns, found 4");
        assertThat(error(full, "1,k,2,3,y,extra")).isEqualTo("expected 5 columns, found 6");
    }

    @Test
    void nonNumericFeatureIsNamedWithItsColumn() {
        assertThat(error(full, "1,k,2,abc,y")).isEqualTo("non-numeric value 'abc' in column load");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Infinity", "-Infinity", "1e400", "-1e400", "inf"})
    void nonFiniteFeatureIsRejected(String cell) {
        if (cell.equals("inf")) {
            assertThat(error(full, "1,k," + cell + ",3,y")).isEqualTo("non-numeric value 'inf' in column temp");
            return;
        }
        assertThat(error(full, "1,k," + cell + ",3,y")).isEqualTo("non-finite value '" + cell + "' in column temp");
    }

    @Test
    void missingValueIsNamedWithItsColumnWhenTheEmptyCellIsNoMarker() {
        CsvRecordParser strict = new CsvRecordParser(
                CsvSchema.resolve(HEADER, "ts", "sensor", "y", null), MissingMarkers.parse("NA"));
        assertThat(error(strict, "1,k,,3,y")).isEqualTo("missing value in column temp");
        assertThat(error(strict, "1,k,2, ,y")).isEqualTo("missing value in column load");
        assertThat(error(strict, "1,k,NaN,3,y")).isEqualTo("non-finite value 'NaN' in column temp");
        assertThat(ok(strict, 0, "1,k,na,3,y").features()).containsExactly(Double.NaN, 3.0);
    }

    @Test
    void defaultMarkersAreMissingValuesInAnyCase() {
        for (String cell : new String[] {"", " ", "NA", "na", "NaN", "nan", "NAN", "null", "NULL", " Null ", "\"NA\""}) {
            SeriesRecord r = ok(full, 0, "1,k," + cell + ",3,y");
            assertThat(r.features()).as("'%s'", cell).containsExactly(Double.NaN, 3.0);
            assertThat(r.label()).isEqualTo("y");
        }
        assertThat(ok(full, 0, "1,k,4,NA,").features()).containsExactly(4.0, Double.NaN);
        // not markers: still dead letters naming the column
        assertThat(error(full, "1,k,N/A,3,y")).isEqualTo("non-numeric value 'N/A' in column temp");
        assertThat(error(full, "1,k,none,3,y")).isEqualTo("non-numeric value 'none' in column temp");
        assertThat(error(full, "1,k,Infinity,NA,y")).isEqualTo("non-finite value 'Infinity' in column temp");
    }

    @Test
    void aRecordWhoseEveryFeatureIsMissingIsADeadLetter() {
        assertThat(error(full, "1,k,NA,,y")).isEqualTo("every feature is missing");
        assertThat(error(full, "1,k,null,NaN,y")).isEqualTo("every feature is missing");
    }

    @Test
    void customMarkersReplaceTheDefaults() {
        CsvRecordParser custom = new CsvRecordParser(
                CsvSchema.resolve(HEADER, "ts", "sensor", "y", null), MissingMarkers.parse("?, -- ,N/A"));
        assertThat(ok(custom, 0, "1,k,?,3,y").features()).containsExactly(Double.NaN, 3.0);
        assertThat(ok(custom, 0, "1,k,1,--,y").features()).containsExactly(1.0, Double.NaN);
        assertThat(ok(custom, 0, "1,k,n/a,2,y").features()).containsExactly(Double.NaN, 2.0);
        assertThat(error(custom, "1,k,NA,3,y")).isEqualTo("non-numeric value 'NA' in column temp");
        assertThat(error(custom, "1,k,,3,y")).isEqualTo("missing value in column temp");
        assertThat(MissingMarkers.parse(",NA,NaN,null")).isEqualTo(MissingMarkers.DEFAULT);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MissingMarkers.parse("NA,-999"))
                .hasMessageContaining("is a number");
    }

    @Test
    void missingOrBadTimeIsNamedWithTheTimeColumn() {
        assertThat(error(full, ",k,1,2,y")).isEqualTo("missing time in column ts");
        assertThat(error(full, "soon,k,1,2,y")).contains("'soon'").endsWith("in column ts");
    }

    @Test
    void missingKeyIsReported() {
        assertThat(error(full, "1,,1,2,y")).isEqualTo("missing key in column sensor");
    }

    @Test
    void blankLineAndBrokenQuotesAreRejected() {
        assertThat(error(full, "")).isEqualTo("empty line");
        assertThat(error(full, "   ")).isEqualTo("empty line");
        assertThat(error(full, "1,\"k,1,2,y")).isEqualTo("unterminated quote");
    }

    @Test
    void parserRecoversAfterABadLine() {
        error(full, "1,k,x,2,y");
        assertThat(ok(full, 4, "2,k,7,8,z").features()).containsExactly(7.0, 8.0);
    }
}
