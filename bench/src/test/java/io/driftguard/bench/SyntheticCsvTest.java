package io.driftguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SyntheticCsvTest {

    @Test
    void headerNamesTimeKeyAndEachFeature() {
        assertThat(SyntheticCsv.header(3)).isEqualTo("ts,key,x0,x1,x2\n");
        assertThat(SyntheticCsv.header(1)).isEqualTo("ts,key,x0\n");
    }
}
