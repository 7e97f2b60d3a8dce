package io.driftguard.jobs.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.jobs.cli.DriftguardCli;
import io.driftguard.jobs.runtime.ShippedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay --report} over the shipped INSECTS stream: the report carries the alarm at the
 * change (around record 14,028) and the model version that answers it, and draws its charts in a
 * browser that cannot reach any network.
 */
class InsectsReportITCase {

    private static final Path ARTIFACTS = Path.of(System.getProperty("user.dir"), "target", "dashboard");

    @Test
    void reportShowsTheAlarmAtTheChangeAndTheNewModelVersionOffline(@TempDir Path dir) throws Exception {
        Path csv = ShippedData.extract(ShippedData.INSECTS, dir.resolve("insects.csv"));
        Path report = ARTIFACTS.resolve("insects-report.html");
        int code = DriftguardCli.execute("replay", "--input", csv.toString(), "--label-col", "class",
                "--task", "classification", "--window", "200", "--events", dir.resolve("events.jsonl").toString(),
                "--report", report.toString(), "--quiet");
        assertThat(code).isZero();

        String html = Files.readString(report);
        int at = html.indexOf("window.DG_STATIC = ") + "window.DG_STATIC = ".length();
        JsonNode data = new ObjectMapper().readTree(html.substring(at, html.indexOf(";</script>", at)));
        JsonNode key = data.path("keys").path("default");
        long alarmAtChange = -1;
        for (JsonNode e : key.path("events")) {
            // windows of 200 records indexed by row: the change is centred at row 14,028
            if (e.path("drift").asBoolean() && e.path("we").asLong() >= 13_800 && e.path("we").asLong() <= 15_000) {
                alarmAtChange = e.path("we").asLong();
                break;
            }
        }
        assertThat(alarmAtChange).as("an alarm at the change").isPositive();
        long atAlarm = -1;
        long newest = -1;
        for (JsonNode e : key.path("events")) {
            if (e.path("we").asLong() <= alarmAtChange) {
                atAlarm = e.path("mv").asLong(-1);
            } else {
                newest = Math.max(newest, e.path("mv").asLong(-1));
            }
        }
        assertThat(newest).as("a newer model version serves after the alarm").isGreaterThan(atAlarm);
        long serving = newest;
        assertThat(key.path("models")).as("its lineage in the report")
                .anyMatch(m -> m.path("version").asLong() == serving && "accepted".equals(m.path("status").asText()));
        assertThat(data.path("summary").path("alarms").asInt()).isPositive();

        assumeTrue(Files.isExecutable(Chromium.BINARY),
                "SKIPPED (browser part): " + Chromium.BINARY + " is absent; install Debian's chromium package");
        // every host resolves to nothing and every connection goes to a dead proxy: offline
        try (Chromium chromium = Chromium.start(dir.resolve("profile"), 1400, 1000,
                "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9")) {
            chromium.navigate(report.toUri().toString());
            boolean drawn = chromium.waitFor(
                    "document.querySelectorAll('#detail .uplot canvas').length === 3"
                            + " && [...document.querySelectorAll('#detail .uplot canvas')]"
                            + ".every(c => c.toDataURL().length > 5000)",
                    Duration.ofSeconds(30));
            assertThat(drawn).as("the report's charts drawn offline").isTrue();
            assertThat(chromium.eval("document.getElementById('summary').textContent").asText())
                    .contains("drift alarms").contains("model versions");
            assertThat(chromium.eval("document.querySelectorAll('#models tbody tr').length").asInt())
                    .isEqualTo(key.path("models").size());
            chromium.screenshot(ARTIFACTS.resolve("insects-report.png"));
        }
    }
}
