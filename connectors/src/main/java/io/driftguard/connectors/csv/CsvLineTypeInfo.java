package io.driftguard.connectors.csv;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink type of a {@link CsvLine}: serialized by {@link CsvLineSerializer}. */
public final class CsvLineTypeInfo extends TypeInformation<CsvLine> {

    private static final long serialVersionUID = 1L;

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<CsvLine> getTypeClass() {
        return CsvLine.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<CsvLine> createSerializer(SerializerConfig config) {
        return CsvLineSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "CsvLine";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CsvLineTypeInfo;
    }

    @Override
    public int hashCode() {
        return CsvLineTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof CsvLineTypeInfo;
    }
}
