package io.driftguard.jobs.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live dashboard in headless chromium: the charts draw for a seeded event file, and an event
 * appended to the file shows up in the open page without a reload. Screenshots stay under
 * target/dashboard/ as build artifacts.
 */
class DashboardBrowserTest {

    private static final Path ARTIFACTS = Path.of(System.getProperty("user.dir"), "target", "dashboard");

    @Test
    void chartsRenderAndAnAppendedEventAppearsWithoutReload(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Chromium.BINARY),
                "SKIPPED: " + Chromium.BINARY + " is absent; install Debian's chromium package"
                        + " (apt-get install chromium, as .ci/run does) to run the browser test");
        Path events = dir.resolve("events.jsonl");
        Path predictions = dir.resolve("predictions.jsonl");
        SeededEvents.write(events, "sensor-1", 60, 45, true);
        SeededEvents.write(events, "sensor-2", 40, -1, false);
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < 600; i++) {
            long v = i < 300 ? 1 : 2;
            p.append(SeededEvents.prediction("sensor-1", SeededEvents.T0 + i * 6_000L, "a", i % 4 == 0 ? "b" : "a", v))
                    .append('\n');
        }
        SeededEvents.append(predictions, p.toString());

        DashboardState state = new DashboardState();
        try (Followers.Feed feed = Followers.files(state, events, predictions, null, 100);
                DashboardServer server = DashboardServer.start(state, "127.0.0.1", 0);
                Chromium chromium = Chromium.start(dir.resolve("profile"), 1400, 1000)) {
            chromium.navigate(server.address() + "#sensor-1");
            // uPlot draws into canvases: three charts, each with pixels drawn
            boolean drawn = chromium.waitFor(
                    "document.querySelectorAll('#detail .uplot canvas').length === 3"
                            + " && [...document.querySelectorAll('#detail .uplot canvas')]"
                            + ".every(c => c.width > 100 && c.toDataURL().length > 5000)",
                    Duration.ofSeconds(30));
            assertThat(drawn).as("three charts drawn").isTrue();
            assertThat(chromium.eval("document.querySelectorAll('#keys tbody tr').length").asInt()).isEqualTo(2);
            assertThat(chromium.eval("document.getElementById('windowCount').dataset.windows").asText()).isEqualTo("60");
            assertThat(chromium.eval("document.querySelector('#alarms tbody').textContent").asText()).contains("temp 0.610");
            assertThat(chromium.eval("document.querySelector('#keys tbody tr.selected .state').textContent").asText())
                    .isEqualTo("ok");
            waitUntil(() -> server.streamClients() >= 1);
            assertThat(chromium.waitFor("document.getElementById('live').textContent === 'live'", Duration.ofSeconds(10)))
                    .isTrue();
            chromium.screenshot(ARTIFACTS.resolve("dashboard.png"));

            // a reload would lose this mark
            chromium.eval("window.__sameDocument = 42");
            SeededEvents.append(events, SeededEvents.event("sensor-1", 60, true, 2, 0.5) + "\n"
                    + SeededEvents.event("sensor-3", 0, false, -1, 0) + "\n");
            boolean followed = chromium.waitFor(
                    "document.getElementById('windowCount').dataset.windows === '61'"
                            + " && [...document.querySelectorAll('#keys tbody tr')].some(r => r.dataset.key === 'sensor-3')"
                            + " && document.querySelector('#keys tbody tr.selected .state').textContent === 'drift'",
                    Duration.ofSeconds(15));
            assertThat(followed).as("the appended events shown without a reload").isTrue();
            assertThat(chromium.eval("window.__sameDocument").asInt()).isEqualTo(42);
            chromium.screenshot(ARTIFACTS.resolve("dashboard-after-append.png"));
        }
        assertThat(Files.size(ARTIFACTS.resolve("dashboard.png"))).isGreaterThan(10_000);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 15 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
