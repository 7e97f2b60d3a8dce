package io.driftguard.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.operators.functions.ReferencePolicy;
import io.driftguard.operators.functions.ReferencePolicy.Kind;
import io.driftguard.operators.functions.WindowSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The window and reference forms that {@code drift.window.size} and {@code drift.reference} accept. */
class WindowAndReferenceParsingTest {

    private static final WindowSpec TEN_MINUTES = WindowSpec.ofMillis(600_000L);
    private static final WindowSpec COUNT_500 = WindowSpec.ofCount(500);

    @ParameterizedTest
    @CsvSource({
        "500, 500",
        "4, 4",
        "' 1000 ', 1000",
    })
    void plainNumbersAreRecordCounts(String text, long size) {
        WindowSpec w = WindowSpec.parse(text);
        assertThat(w.countBased()).isTrue();
        assertThat(w.size()).isEqualTo(size);
        assertThat(w).isEqualTo(WindowSpec.ofCount(size));
    }

    @ParameterizedTest
    @CsvSource({
        "250ms, 250",
        "30s, 30000",
        "10m, 600000",
        "10min, 600000",
        "1h, 3600000",
        "1H, 3600000",
        "' 2h ', 7200000",
        "1d, 86400000",
    })
    void durationsAreEventTimeWindows(String text, long millis) {
        WindowSpec w = WindowSpec.parse(text);
        assertThat(w.countBased()).isFalse();
        assertThat(w.size()).isEqualTo(millis);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "10x", "s", "1.5h", "-5s", "0s", "0", "3", "ten", "10 s", "m10", "999999999999999d"})
    void otherFormsAreRejected(String text) {
        assertThatThrownBy(() -> WindowSpec.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownUnitIsExplained() {
        assertThatThrownBy(() -> WindowSpec.parse("10x"))
                .hasMessageContaining("'10x'")
                .hasMessageContaining("ms, s, m, h or d");
    }

    @Test
    void toStringRoundTrips() {
        for (String text : new String[] {"500", "30s", "1h", "250ms"}) {
            WindowSpec w = WindowSpec.parse(text);
            assertThat(WindowSpec.parse(w.toString())).isEqualTo(w);
        }
    }

    @Test
    void previousAndFixedKeepOneWindow() {
        ReferencePolicy p = ReferencePolicy.parse("previous", COUNT_500);
        assertThat(p.kind()).isEqualTo(Kind.PREVIOUS);
        assertThat(p.windowsToKeep()).isEqualTo(1);
        ReferencePolicy f = ReferencePolicy.parse(" FIXED ", TEN_MINUTES);
        assertThat(f.kind()).isEqualTo(Kind.FIXED);
        assertThat(f.windowsToKeep()).isEqualTo(1);
        assertThat(f.text()).isEqualTo("fixed");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 64})
    void lastKKeepsKWindows(int k) {
        ReferencePolicy p = ReferencePolicy.parse("last-" + k, COUNT_500);
        assertThat(p.kind()).isEqualTo(Kind.LAST_K);
        assertThat(p.windows()).isEqualTo(k);
        assertThat(p.windowsToKeep()).isEqualTo(k);
    }

    @ParameterizedTest
    @ValueSource(strings = {"last-0", "last-65", "last-", "last-x", "last--1"})
    void badLastKIsRejected(String text) {
        assertThatThrownBy(() -> ReferencePolicy.parse(text, COUNT_500))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text);
    }

    @Test
    void seasonalPeriodIsCountedInWindows() {
        ReferencePolicy hourly = ReferencePolicy.parse("seasonal:1h", TEN_MINUTES);
        assertThat(hourly.kind()).isEqualTo(Kind.SEASONAL);
        assertThat(hourly.windows()).isEqualTo(6);
        assertThat(hourly.windowsToKeep()).isEqualTo(6);
        assertThat(ReferencePolicy.parse("seasonal:10m", TEN_MINUTES).windows()).isEqualTo(1);
        assertThat(ReferencePolicy.parse("seasonal:2000", COUNT_500).windows()).isEqualTo(4);
    }

    @Test
    void seasonalPeriodMustBeAWholePositiveNumberOfWindows() {
        assertThatThrownBy(() -> ReferencePolicy.parse("seasonal:25m", TEN_MINUTES))
                .hasMessageContaining("whole number of windows")
                .hasMessageContaining("the nearest is seasonal:30m (3 windows)");
        // a year of weekly windows: 52 weeks
        assertThatThrownBy(() -> ReferencePolicy.parse("seasonal:365d", WindowSpec.parse("7d")))
                .hasMessageContaining("the nearest is seasonal:364d (52 windows)");
        assertThatThrownBy(() -> ReferencePolicy.parse("seasonal:1100", COUNT_500))
                .hasMessageContaining("of 500 records; the nearest is seasonal:1000 (2 windows)");
        assertThatThrownBy(() -> ReferencePolicy.parse("seasonal:5m", TEN_MINUTES))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReferencePolicy.parse("seasonal:750", COUNT_500))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReferencePolicy.parse("seasonal:0", COUNT_500))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void seasonalPeriodUnitsFollowTheWindowKind() {
        assertThatThrownBy(() -> ReferencePolicy.parse("seasonal:1h", COUNT_500))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("record count");
        assertThatThrownBy(() -> ReferencePolicy.parse("seasonal:6", TEN_MINUTES))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void seasonalPeriodIsLimitedTo512Windows() {
        WindowSpec minute = WindowSpec.ofMillis(60_000L);
        assertThat(ReferencePolicy.parse("seasonal:512m", minute).windows()).isEqualTo(512);
        assertThatThrownBy(() -> ReferencePolicy.parse("seasonal:1d", minute))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("512");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sometimes", "", "prev", "seasonal", "last"})
    void unknownPoliciesNameTheAcceptedForms(String text) {
        assertThatThrownBy(() -> ReferencePolicy.parse(text, COUNT_500))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("previous, fixed, last-K or seasonal:<period>");
    }
}
