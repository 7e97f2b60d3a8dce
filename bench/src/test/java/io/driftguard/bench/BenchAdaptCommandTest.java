package io.driftguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.operators.detect.DriftEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchAdaptCommandTest {

    private static DriftEvent event(String key, long start, boolean drift) {
        return DriftEvent.builder(key, start, start + 10).reference(0, start, 10).current(10).mmd(0.1, 1)
                .pValues(drift ? 0.001 : 0.5, Double.NaN).aDistance(0.2).decision(drift, true)
                .changeAt(drift ? start + 3 : null).build();
    }

    @Test
    void periodicMarksEveryKthWindowOfEachKeyAndNothingElse() {
        List<DriftEvent> events = new ArrayList<>();
        for (int w = 9; w >= 0; w--) {
            // out of order, with the detector's own alarms at windows 1 and 2 of key a
            events.add(event("a", w * 10L, w == 1 || w == 2));
            events.add(event("b", w * 10L + 5, false));
        }
        List<DriftEvent> p = BenchAdaptCommand.periodic(events, 4);
        assertThat(p).hasSize(20);
        assertThat(p.stream().filter(DriftEvent::drift).map(e -> e.key() + "@" + e.windowStart()).toList())
                .containsExactlyInAnyOrder("a@30", "a@70", "b@35", "b@75");
        assertThat(p).allSatisfy(e -> assertThat(e.changeAt()).isNull());
        // every other field is the drift pass's
        DriftEvent a3 = p.stream().filter(e -> e.key().equals("a") && e.windowStart() == 30).findFirst().orElseThrow();
        assertThat(a3.toBuilder().decision(false, true).build()).isEqualTo(event("a", 30, false));
    }

    @Test
    void noChangePredictsThePreviousLabel(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("c.csv");
        Files.writeString(csv, "x,class\n1,UP\n2,UP\n3,DOWN\n4,DOWN\n5,DOWN\n6,UP\n\n");
        // right on rows 2, 4 and 5 of 6
        assertThat(BenchAdaptCommand.noChange(csv, "class")).isEqualTo(50.0);
    }
}
