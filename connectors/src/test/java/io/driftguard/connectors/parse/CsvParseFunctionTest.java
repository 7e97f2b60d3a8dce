package io.driftguard.connectors.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.connectors.csv.CsvKeySelector;
import io.driftguard.connectors.csv.CsvLine;
import io.driftguard.connectors.csv.CsvSchema;
import io.driftguard.operators.functions.DriftMetrics;
import io.driftguard.operators.record.DeadLetter;
import io.driftguard.operators.record.SeriesRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class CsvParseFunctionTest {

    private static final CsvSchema SCHEMA = CsvSchema.resolve(List.of("time", "key", "x"), "time", "key", null, null);

    private static KeyedOneInputStreamOperatorTestHarness<String, CsvLine, SeriesRecord> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new CsvParseFunction(SCHEMA, "f.csv")), new CsvKeySelector(SCHEMA), Types.STRING);
        h.open();
        return h;
    }

    private static List<Long> times(KeyedOneInputStreamOperatorTestHarness<String, CsvLine, SeriesRecord> h) {
        List<Long> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> sr && sr.getValue() instanceof SeriesRecord r) {
                out.add(r.ts());
            }
        }
        return out;
    }

    private static List<DeadLetter> dead(KeyedOneInputStreamOperatorTestHarness<String, CsvLine, SeriesRecord> h) {
        List<DeadLetter> out = new ArrayList<>();
        var side = h.getSideOutput(DriftMetrics.DEAD_LETTER_TAG);
        if (side != null) {
            side.forEach(sr -> out.add(sr.getValue()));
        }
        return out;
    }

    @Test
    void theOnlyRowIsEmittedWhenTheInputEnds() throws Exception {
        var h = harness();
        h.processElement(new CsvLine(0, "1700000000000,a,1"), 0);
        assertThat(times(h)).as("held until it is confirmed").isEmpty();
        h.processWatermark(Long.MAX_VALUE);
        assertThat(times(h)).containsExactly(1_700_000_000_000L);
        assertThat(dead(h)).isEmpty();
        h.close();
    }

    @Test
    void anAbsurdFirstRowIsRejectedByTheRowsAfterIt() throws Exception {
        var h = harness();
        h.processElement(new CsvLine(0, "99999999999999,a,1"), 0);
        h.processElement(new CsvLine(1, "1700000000000,b,1"), 0);
        h.processElement(new CsvLine(2, "1700000001000,a,2"), 0);
        h.processWatermark(Long.MAX_VALUE);
        assertThat(times(h)).containsExactly(1_700_000_000_000L, 1_700_000_001_000L);
        assertThat(dead(h)).singleElement().satisfies(d -> {
            assertThat(d.source()).isEqualTo("f.csv:2");
            assertThat(d.reason()).startsWith("time 99999999999999 (5138-11-16T09:46:39.999Z) is more than 1d ahead"
                    + " of the next row's time 1700000000000").endsWith(" in column time");
        });
        h.close();
    }

    @Test
    void aNormalFirstRowIsEmittedBeforeTheNextAndAnAbsurdNextRowIsRejected() throws Exception {
        var h = harness();
        h.processElement(new CsvLine(0, "1700000000000,a,1"), 0);
        h.processElement(new CsvLine(1, "99999999999999,a,1"), 0);
        h.processElement(new CsvLine(2, "1700000001000,a,2"), 0);
        assertThat(times(h)).containsExactly(1_700_000_000_000L, 1_700_000_001_000L);
        assertThat(dead(h)).extracting(DeadLetter::source).containsExactly("f.csv:3");
        h.close();
    }

    @Test
    void aLineThatIsNotUtf8IsADeadLetterWithItsBytes() throws Exception {
        var h = harness();
        byte[] raw = {'1', '7', ',', 'a', ',', (byte) 0xFF};
        h.processElement(new CsvLine(4, new String(raw, StandardCharsets.UTF_8), "invalid UTF-8 at byte 5 of the line", raw), 0);
        assertThat(dead(h)).singleElement().satisfies(d -> {
            assertThat(d.source()).isEqualTo("f.csv:6");
            assertThat(d.reason()).isEqualTo("invalid UTF-8 at byte 5 of the line");
            assertThat(d.raw()).containsExactly(raw);
        });
        h.close();
    }
}
