package io.driftguard.jobs.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's aggregation, its HTTP API and live stream, and the offline report. */
class DashboardServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static DashboardState seeded(int keys) throws Exception {
        DashboardState s = new DashboardState();
        for (int k = 0; k < keys; k++) {
            String key = String.format("key-%05d", k);
            for (int i = 0; i < 12; i++) {
                s.acceptEvent(JSON.readTree(SeededEvents.event(key, i, k % 10 == 0 && i == 11, -1, 0)));
            }
        }
        return s;
    }

    @Test
    void overviewIsFilteredSortedAndPagedOnTheServer() throws Exception {
        DashboardState s = seeded(3000);
        JsonNode all = JSON.readTree(s.overviewJson("", null, "key", false, 0, 100));
        assertThat(all.get("total").asInt()).isEqualTo(3000);
        assertThat(all.get("rows")).hasSize(100);
        assertThat(all.get("counts").get("drift").asInt()).isEqualTo(300);
        assertThat(all.get("counts").get("ok").asInt()).isEqualTo(2700);

        JsonNode filtered = JSON.readTree(s.overviewJson("KEY-0012", null, "key", false, 0, 100));
        // key-00120 .. key-00129
        assertThat(filtered.get("matched").asInt()).isEqualTo(10);
        assertThat(filtered.get("rows").get(0).get("key").asText()).isEqualTo("key-00120");

        JsonNode drifting = JSON.readTree(s.overviewJson("", null, "state", true, 0, 5));
        assertThat(drifting.get("rows").get(0).get("state").asText()).isEqualTo("drift");
        assertThat(drifting.get("rows").get(0).get("key").asText()).isEqualTo("key-00000");
        JsonNode onlyDrift = JSON.readTree(s.overviewJson("", "drift", "key", false, 290, 100));
        assertThat(onlyDrift.get("matched").asInt()).isEqualTo(300);
        assertThat(onlyDrift.get("rows")).hasSize(10);
    }

    @Test
    void keyStatesFollowCalibrationAlarmsAndModelVersions() throws Exception {
        DashboardState s = new DashboardState();
        s.acceptEvent(JSON.readTree(SeededEvents.event("k", 0, false, 1, 0.9)));
        assertThat(row(s, "k").get("state").asText()).isEqualTo("calibrating");
        for (int i = 1; i <= 11; i++) {
            s.acceptEvent(JSON.readTree(SeededEvents.event("k", i, false, 1, 0.9)));
        }
        assertThat(row(s, "k").get("state").asText()).isEqualTo("ok");
        s.acceptEvent(JSON.readTree(SeededEvents.event("k", 12, true, 1, 0.5)));
        assertThat(row(s, "k").get("state").asText()).isEqualTo("drift");
        s.acceptEvent(JSON.readTree(SeededEvents.event("k", 13, false, 1, 0.6)));
        // the model has not answered the alarm yet
        assertThat(row(s, "k").get("state").asText()).isEqualTo("adapting");
        assertThat(row(s, "k").get("error").asDouble()).isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-9));
        s.acceptEvent(JSON.readTree(SeededEvents.event("k", 14, false, 2, 0.9)));
        JsonNode r = row(s, "k");
        assertThat(r.get("state").asText()).isEqualTo("ok");
        assertThat(r.get("version").asInt()).isEqualTo(2);
        assertThat(r.get("last_alarm").asLong()).isEqualTo(SeededEvents.T0 + 13 * SeededEvents.WINDOW);

        JsonNode detail = JSON.readTree(s.keyJson("k"));
        assertThat(detail.get("events")).hasSize(15);
        JsonNode alarm = detail.get("events").get(12);
        assertThat(alarm.get("drift").asBoolean()).isTrue();
        assertThat(alarm.get("features").get(0).get("name").asText()).isEqualTo("temp");
        assertThat(alarm.get("change_at").asLong()).isEqualTo(SeededEvents.T0 + 12 * SeededEvents.WINDOW + 20_000);
        assertThat(s.keyJson("nope")).isNull();
    }

    @Test
    void predictionsGiveThePrequentialErrorAndVersionChanges() throws Exception {
        DashboardState s = new DashboardState();
        for (int i = 0; i < 400; i++) {
            long v = i < 200 ? 0 : 1;
            // version 0 (the prior) misses every other record, version 1 every fourth
            boolean wrong = v == 0 ? i % 2 == 0 : i % 4 == 0;
            s.acceptPrediction(JSON.readTree(SeededEvents.prediction("p", 1000L + i, "a", wrong ? "b" : "a", v)));
        }
        JsonNode d = JSON.readTree(s.keyJson("p"));
        assertThat(d.get("labelled").asInt()).isEqualTo(400);
        assertThat(d.get("cumulative_error").asDouble()).isCloseTo(0.375, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(d.get("prediction_error")).hasSize(4);
        assertThat(d.get("prediction_error").get(0).get(1).asDouble()).isEqualTo(0.5);
        assertThat(d.get("prediction_error").get(3).get(1).asDouble()).isEqualTo(0.25);
        assertThat(d.get("version_changes")).hasSize(1);
        assertThat(d.get("version_changes").get(0).get("ts").asLong()).isEqualTo(1200L);
        assertThat(d.get("version_changes").get(0).get("to").asLong()).isEqualTo(1L);
        assertThat(row(s, "p").get("version").asInt()).isEqualTo(1);
    }

    @Test
    void servesThePageTheLibraryTheApiAndLiveChanges(@TempDir Path dir) throws Exception {
        DashboardState s = seeded(5);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (DashboardServer server = DashboardServer.start(s, "127.0.0.1", 0)) {
            URI base = server.address();
            assertThat(base.getHost()).isEqualTo("127.0.0.1");
            String page = get(http, base.resolve("/")).body();
            assertThat(page).contains("<script src=\"lib/uplot.js\"></script>").doesNotContain("DG:HEAD")
                    .doesNotContain("http://").doesNotContain("https://");
            HttpResponse<String> js = get(http, base.resolve("/lib/uplot.js"));
            assertThat(js.statusCode()).isEqualTo(200);
            assertThat(js.body()).contains("uPlot");
            JsonNode keys = JSON.readTree(get(http, base.resolve("/api/keys?q=00003&limit=9999")).body());
            assertThat(keys.get("rows")).hasSize(1);
            assertThat(JSON.readTree(get(http, base.resolve("/api/key?k=key-00003")).body()).get("events")).hasSize(12);
            assertThat(get(http, base.resolve("/api/key?k=missing")).statusCode()).isEqualTo(404);
            assertThat(get(http, base.resolve("/nothing")).statusCode()).isEqualTo(404);

            // the live stream: a first message, then one naming the key that changed
            HttpResponse<java.io.InputStream> stream = http.send(
                    HttpRequest.newBuilder(base.resolve("/api/stream")).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
            CompletableFuture<String> changed = CompletableFuture.supplyAsync(() -> {
                try {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.startsWith("data:") && line.contains("key-00099")) {
                            return line;
                        }
                    }
                    return null;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.streamClients() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            s.acceptEvent(JSON.readTree(SeededEvents.event("key-00099", 0, false, -1, 0)));
            JsonNode msg = JSON.readTree(changed.get(10, TimeUnit.SECONDS).substring(5));
            assertThat(msg.get("changed")).extracting(JsonNode::asText).containsExactly("key-00099");
            stream.body().close();
        }
    }

    @Test
    void reportIsOneFileThatLoadsNothingFromTheNetwork(@TempDir Path dir) throws Exception {
        DashboardState s = seeded(3);
        Path out = dir.resolve("r.html");
        HtmlReport.write(out, s, "input.csv");
        String html = java.nio.file.Files.readString(out);
        // no script, style sheet, image or font from elsewhere (uPlot's banner comment names its home page)
        assertThat(html).doesNotContain("src=").doesNotContainPattern("href\\s*=\\s*[\"']?(https?:)?//")
                .doesNotContainPattern("url\\(\\s*[\"']?(https?:)?//").doesNotContainPattern("@import")
                .doesNotContain("DG:HEAD").contains("window.DG_STATIC = ").contains("uPlot");
        int at = html.indexOf("window.DG_STATIC = ") + "window.DG_STATIC = ".length();
        JsonNode data = JSON.readTree(html.substring(at, html.indexOf(";</script>", at)));
        assertThat(data.get("summary").get("keys").asInt()).isEqualTo(3);
        assertThat(data.get("summary").get("alarms").asInt()).isEqualTo(1);
        assertThat(data.get("keys").has("key-00000")).isTrue();
    }

    private static JsonNode row(DashboardState s, String key) throws Exception {
        return JSON.readTree(s.overviewJson(key, null, "key", false, 0, 1)).get("rows").get(0);
    }

    private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
}
