package io.driftguard.connectors.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

    /** 2023-11-14T22:13:20Z, computed independently of the parser under test. */
    private static final long T0 =
            LocalDateTime.of(2023, 11, 14, 22, 13, 20).toInstant(ZoneOffset.UTC).toEpochMilli();

    @Test
    void referenceInstantIsTheWellKnownEpochSecond() {
        assertThat(T0).isEqualTo(1_700_000_000_000L);
    }

    @Test
    void epochMillisecondsAreTakenAsIs() {
        assertThat(Timestamps.parse("1700000000123")).isEqualTo(1_700_000_000_123L);
        assertThat(Timestamps.parse("  1700000000123 ")).isEqualTo(1_700_000_000_123L);
        assertThat(Timestamps.parse("0")).isZero();
        assertThat(Timestamps.parse("+5")).isEqualTo(5L);
    }

    @Test
    void theLatestAcceptedTimeIsTheLastMillisecondOfTheYear9999() {
        long last = LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_000_000).toInstant(ZoneOffset.UTC).toEpochMilli();
        assertThat(Timestamps.MAX_EPOCH_MILLIS).isEqualTo(last);
        assertThat(Timestamps.parse(Long.toString(last))).isEqualTo(last);
        assertThat(Timestamps.parse("9999-12-31T23:59:59.999Z")).isEqualTo(last);
        assertThat(Timestamps.parse("1970-01-01T00:00:00Z")).isEqualTo(Timestamps.MIN_EPOCH_MILLIS);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1234567890123456789012345678901234567890 | overflows",
        "9223372036854775807 | overflows",
        "9223372036854775808 | overflows",
        "-9223372036854775809 | overflows",
        "1e300 | overflows",
        "-1e300 | overflows",
        "1e400 | overflows",
        "253402300800000 | is after 9999-12-31T23:59:59.999Z",
        "2.534023008e14 | is after 9999-12-31T23:59:59.999Z",
        "999999999999999999 | is after 9999-12-31T23:59:59.999Z",
        "+10000-01-01T00:00:00Z | is after 9999-12-31T23:59:59.999Z",
        "-5 | is before 1970",
        "-0.5e3 | is before 1970",
        "1969-12-31T23:59:59.999Z | is before 1970",
        "1969-12-31 | is before 1970",
        "+1000000000-01-01T00:00:00Z | unparsable time",
    })
    void absurdTimesAreRejectedWithTheReason(String text, String reason) {
        assertThatThrownBy(() -> Timestamps.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason)
                .hasMessageNotContaining("\n");
    }

    @Test
    void longInputIsQuotedShortly() {
        String digits = "9".repeat(5000);
        assertThatThrownBy(() -> Timestamps.parse(digits))
                .hasMessageContaining("overflows")
                .hasMessageContaining("(5000 chars)")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(100));
    }

    @Test
    void malformedNumbersAreUnparsable() {
        for (String t : new String[] {"-", "+", "1.2.3", "1e", "--5", "1e5e5"}) {
            assertThatThrownBy(() -> Timestamps.parse(t)).as(t)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unparsable time");
        }
    }

    @Test
    void epochMillisecondsInScientificNotationOrWithFractionAreAccepted() {
        assertThat(Timestamps.parse("1.7e12")).isEqualTo(1_700_000_000_000L);
        assertThat(Timestamps.parse("1.7E12")).isEqualTo(1_700_000_000_000L);
        assertThat(Timestamps.parse("42.9")).isEqualTo(42L);
    }

    @ParameterizedTest
    @CsvSource({
        "2023-11-14T22:13:20Z, 0",
        "2023-11-14T22:13:20.123Z, 123",
        "2023-11-14T23:13:20+01:00, 0",
        "2023-11-14T17:13:20-05:00, 0",
        "2023-11-15T03:43:20.500+05:30, 500",
        "2023-11-14T22:13:20, 0",
        "2023-11-14T22:13:20.007, 7",
        "'2023-11-14 22:13:20', 0",
        "'2023-11-14 22:13:20.250', 250",
    })
    void isoAndSpaceSeparatedTimesAreUtcUnlessAnOffsetIsGiven(String text, long extraMillis) {
        assertThat(Timestamps.parse(text)).isEqualTo(T0 + extraMillis);
    }

    @Test
    void secondsAreOptionalInTheSpaceSeparatedForm() {
        assertThat(Timestamps.parse("2023-11-14 22:13")).isEqualTo(T0 - 20_000L);
    }

    @Test
    void dateOnlyIsMidnightUtc() {
        long midnight = LocalDate.of(2023, 11, 14).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        assertThat(Timestamps.parse("2023-11-14")).isEqualTo(midnight).isEqualTo(T0 - 80_000_000L);
        assertThat(Timestamps.parse("1970-01-01")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void blankIsAMissingTime(String text) {
        assertThatThrownBy(() -> Timestamps.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("missing time");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "yesterday",
                "NaN",
                "Infinity",
                "2023-13-01",
                "2023-11-14T25:00:00Z",
                "14/11/2023",
                "2023-11-14 22:13:20 UTC",
                "12:30"
            })
    void unsupportedTextIsRejectedWithTheTextInTheMessage(String text) {
        assertThatThrownBy(() -> Timestamps.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void formatWritesAnIsoInstantThatParsesBack() {
        assertThat(Timestamps.format(T0 + 123)).isEqualTo("2023-11-14T22:13:20.123Z");
        assertThat(Timestamps.format(0)).isEqualTo("1970-01-01T00:00:00Z");
        long[] samples = {0L, 1L, T0, T0 + 999, Timestamps.MAX_EPOCH_MILLIS};
        for (long ms : samples) {
            assertThat(Timestamps.parse(Timestamps.format(ms))).isEqualTo(ms);
        }
    }
}
