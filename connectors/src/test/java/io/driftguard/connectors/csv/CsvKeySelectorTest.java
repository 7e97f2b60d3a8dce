package io.driftguard.connectors.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvKeySelectorTest {

    private static final CsvSchema SCHEMA =
            CsvSchema.resolve(List.of("time", "x", "key", "y"), "time", "key", null, null);

    @Test
    void givesTheParsersKeyForEveryAcceptedLine() {
        CsvKeySelector selector = new CsvKeySelector(SCHEMA);
        CsvRecordParser parser = new CsvRecordParser(SCHEMA);
        String[] lines = {
            "1,0.5,pump-1,2",
            "2,0.5, pump-2 ,2",
            "3,\"0,5\",\"pump,3\",2",
            "4,\"a \"\"quoted\"\" x\",\"say \"\"hi\"\"\",2",
            "5,1,last,",
        };
        for (String text : lines) {
            CsvLine line = new CsvLine(0, text);
            var parsed = parser.parse(line);
            String key = selector.getKey(line);
            if (parsed.isOk()) {
                assertThat(key).as(text).isEqualTo(parsed.record().key());
            }
        }
        assertThat(selector.getKey(new CsvLine(0, "3,\"0,5\",\"pump,3\",2"))).isEqualTo("pump,3");
        assertThat(selector.getKey(new CsvLine(0, "1,0.5,pump-1,2"))).isEqualTo("pump-1");
    }

    @Test
    void shortLinesGetTheEmptyKeyAndFilesWithoutKeyColumnOneKey() {
        assertThat(new CsvKeySelector(SCHEMA).getKey(new CsvLine(0, "1,2"))).isEmpty();
        CsvSchema noKey = CsvSchema.resolve(List.of("x", "y"), null, null, null, null);
        assertThat(new CsvKeySelector(noKey).getKey(new CsvLine(0, "1,2"))).isEqualTo("default");
    }
}
