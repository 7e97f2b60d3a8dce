package io.driftguard.connectors.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.junit.jupiter.api.Test;

/** The CSV line serializer under Flink's serializer contract tests, and its type's discovery. */
class CsvLineSerializerTest extends SerializerTestBase<CsvLine> {

    @Override
    protected TypeSerializer<CsvLine> createSerializer() {
        return CsvLineSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<CsvLine> getTypeClass() {
        return CsvLine.class;
    }

    @Override
    protected CsvLine[] getTestData() {
        byte[] invalid = {'a', ',', (byte) 0xC3, (byte) 0x28, '\n'};
        return new CsvLine[] {
            new CsvLine(0, ""),
            new CsvLine(1, "2024-01-01T00:00:00Z,k1,0.5,1e-3,NA"),
            new CsvLine(Long.MAX_VALUE, "\"quoted, with \"\"quotes\"\"\",k,1"),
            new CsvLine(7, "Zürich,東京,\uD83D\uDE00,-0.0"),
            new CsvLine(8, "x".repeat(70_000)),
            new CsvLine(9, "a,\uFFFD", "invalid UTF-8 at byte 2", invalid),
            new CsvLine(10, "", "line longer than 1048576 bytes", null),
            new CsvLine(11, "", null, new byte[0]),
        };
    }

    @Test
    void flinkDerivesTheTypeOfACsvLineWithThisSerializer() {
        TypeInformation<CsvLine> t = TypeInformation.of(CsvLine.class);
        assertThat(t).isInstanceOf(CsvLineTypeInfo.class);
        assertThat(t.createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl()))
                .isSameAs(CsvLineSerializer.INSTANCE);
        assertThat(new CsvLineFormat().getProducedType()).isEqualTo(t);
    }

    @Test
    void theTextTravelsAsItsUtf8Bytes() throws Exception {
        String text = "2024-01-01,k,1.5";
        var out = new org.apache.flink.core.memory.DataOutputSerializer(64);
        CsvLineSerializer.INSTANCE.serialize(new CsvLine(3, text), out);
        // row, flags, length, bytes
        assertThat(out.length()).isEqualTo(8 + 1 + 4 + text.getBytes(StandardCharsets.UTF_8).length);
    }
}
