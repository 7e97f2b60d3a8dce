package io.driftguard.connectors.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvSplitterTest {

    @Test
    void plainCellsAreSplitOnCommas() {
        assertThat(CsvSplitter.split("a,b,c")).containsExactly("a", "b", "c");
        assertThat(CsvSplitter.split("1.5,-2,3e4")).containsExactly("1.5", "-2", "3e4");
    }

    @Test
    void whitespaceIsKept() {
        assertThat(CsvSplitter.split(" a , b ")).containsExactly(" a ", " b ");
    }

    @Test
    void emptyCellsAnywhereAreKept() {
        assertThat(CsvSplitter.split("")).containsExactly("");
        assertThat(CsvSplitter.split(",")).containsExactly("", "");
        assertThat(CsvSplitter.split(",a")).containsExactly("", "a");
        assertThat(CsvSplitter.split("a,,b")).containsExactly("a", "", "b");
        assertThat(CsvSplitter.split("a,b,")).containsExactly("a", "b", "");
        assertThat(CsvSplitter.split("a,b,,")).containsExactly("a", "b", "", "");
    }

    @Test
    void quotedCellsMayHoldCommas() {
        assertThat(CsvSplitter.split("\"x,y\",z")).containsExactly("x,y", "z");
        assertThat(CsvSplitter.split("z,\"x,y\"")).containsExactly("z", "x,y");
        assertThat(CsvSplitter.split("\"\"")).containsExactly("");
        assertThat(CsvSplitter.split("\"\",\"\"")).containsExactly("", "");
    }

    @Test
    void doubledQuotesInsideQuotesAreOneQuote() {
        assertThat(CsvSplitter.split("\"he said \"\"hi\"\"\",1"))
                .containsExactly("he said \"hi\"", "1");
        assertThat(CsvSplitter.split("\"\"\"\"")).containsExactly("\"");
    }

    @Test
    void quotedCellBeforeATrailingCommaLeavesAnEmptyLastCell() {
        assertThat(CsvSplitter.split("\"a\",")).containsExactly("a", "");
    }

    @Test
    void quoteInsideAnUnquotedCellIsLiteral() {
        assertThat(CsvSplitter.split("a\"b,c")).containsExactly("a\"b", "c");
    }

    @Test
    void unterminatedQuoteIsRejected() {
        assertThatThrownBy(() -> CsvSplitter.split("1,\"abc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unterminated quote");
        assertThatThrownBy(() -> CsvSplitter.split("\"abc\"\""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unterminated quote");
        assertThatThrownBy(() -> CsvSplitter.split("\""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unterminated quote");
    }

    @Test
    void textAfterAClosingQuoteIsRejected() {
        assertThatThrownBy(() -> CsvSplitter.split("\"ab\"c,d"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("text after closing quote");
    }

    @Test
    void outputListIsClearedAndReturned() {
        List<String> out = new ArrayList<>(List.of("stale", "cells", "here"));
        List<String> result = CsvSplitter.split("1,2", out);
        assertThat(result).isSameAs(out).containsExactly("1", "2");
    }
}
