package io.driftguard.jobs.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void aLineGivesPercentRateAndTimeLeftFromTheFirstUnitOn() {
        // the percentage keeps a width of three, so the line does not jump as it grows
        // 250 of 1,000 records in 5 s since the first: 50/s, 750 left = 15 s
        assertThat(Progress.line("replay", 250, 1000, "records", 5, false, ""))
                .isEqualTo("replay:  25% of 1,000 records, 50 records/s, 15 s left");
        // 3 of 80 streams in 60 s: 0.05/s, 77 left = 1,540 s
        assertThat(Progress.line("bench detect synthetic", 3, 80, "streams", 60, false, "mean-shift"))
                .isEqualTo("bench detect synthetic:   4% of 80 streams, 0.05 streams/s, 25 min 40 s left (mean-shift)");
        assertThat(Progress.line("bench", 1, 1000, "runs", 10, false, "")).endsWith("2 h 46 min left");
    }

    @Test
    void beforeTheFirstUnitOrAfterTheLastTheLineSaysSo() {
        assertThat(Progress.line("replay", 0, 1000, "records", 7.2, true, ""))
                .isEqualTo("replay: starting ... 7 s");
        // a rate from a fraction of a second is noise: no estimate yet
        assertThat(Progress.line("replay", 10, 1000, "records", 0.1, false, "")).endsWith("?" + " left");
        assertThat(Progress.line("replay", 1200, 1000, "records", 10, false, ""))
                .startsWith("replay: 100% of 1,000 records").endsWith(" 0 s left");
    }

    @Test
    void printingThroughTheGuardClearsTheLineFirstAndCloseLeavesItBlank() throws Exception {
        StringWriter terminal = new StringWriter();
        PrintWriter console = new PrintWriter(terminal, true);
        AtomicLong done = new AtomicLong(5);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (Progress p = Progress.drawnOn(console, "bench", 10, "runs", done::get)) {
            assertThat(p.visible()).isTrue();
            waitFor(terminal, "50% of 10 runs");
            PrintStream guarded = p.guard(new PrintStream(printed, true, StandardCharsets.UTF_8));
            int before = terminal.toString().length();
            guarded.println("a result line");
            String after = terminal.toString().substring(before);
            // the drawn line overwritten with blanks and the cursor back at its start
            assertThat(after).matches("\r +\r");
            assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo("a result line" + System.lineSeparator());
        }
        String all = terminal.toString();
        assertThat(all).endsWith("\r");
        assertThat(all.substring(all.lastIndexOf('\r', all.length() - 2) + 1).trim()).isEmpty();
    }

    @Test
    void withoutATerminalNothingIsDrawnAndStreamsPassThrough() {
        Progress p = Progress.drawnOn(null, "bench", 10, "runs", null);
        assertThat(p.visible()).isFalse();
        PrintStream s = new PrintStream(new ByteArrayOutputStream());
        assertThat(p.guard(s)).isSameAs(s);
        PrintStream out = System.out;
        p.guardSystemStreams();
        assertThat(System.out).isSameAs(out);
        p.advance(3);
        p.close();
    }

    private static void waitFor(StringWriter w, String text) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!w.toString().contains(text) && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(w.toString()).contains(text);
    }
}
