package io.driftguard.jobs.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A self-contained HTML report: the dashboard's page with uPlot and the data inlined, so that it
 * opens offline and can be shared as one file. It carries every key's overview row and the series
 * of the {@link #MAX_KEYS_WITH_SERIES} keys with the most alarms (which keeps the file small for
 * thousands of keys).
 */
public final class HtmlReport {

    /** Keys whose series the report carries. */
    public static final int MAX_KEYS_WITH_SERIES = 200;

    private static final ObjectMapper JSON = new ObjectMapper();

    private HtmlReport() {}

    /** Writes the report of {@code state} to {@code out}; {@code title} heads it (e.g. the input's name). */
    public static void write(Path out, DashboardState state, String title) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(out, render(state, title), StandardCharsets.UTF_8);
    }

    /** The report as a string. */
    public static String render(DashboardState state, String title) throws IOException {
        ObjectNode data = JSON.createObjectNode();
        data.put("title", title);
        data.put("generated", Instant.now().toString());
        JsonNode overview = JSON.readTree(state.overviewJson("", null, "alarms", true, 0, Integer.MAX_VALUE));
        data.set("counts", overview.get("counts"));
        ArrayNode rows = (ArrayNode) overview.get("rows");
        data.set("rows", rows);
        long windows = 0;
        long alarms = 0;
        ObjectNode keys = data.putObject("keys");
        for (int i = 0; i < rows.size(); i++) {
            JsonNode r = rows.get(i);
            windows += r.path("windows").asLong();
            alarms += r.path("alarms").asLong();
            if (i < MAX_KEYS_WITH_SERIES) {
                keys.set(r.get("key").asText(), JSON.readTree(state.keyJson(r.get("key").asText())));
            }
        }
        long[] models = state.modelCounts();
        ObjectNode summary = data.putObject("summary");
        summary.put("keys", rows.size());
        summary.put("windows", windows);
        summary.put("alarms", alarms);
        summary.put("model_versions", models[0]);
        summary.put("accepted", models[1]);
        summary.put("rejected", models[2]);
        summary.put("keys_with_series", Math.min(rows.size(), MAX_KEYS_WITH_SERIES));
        String head = "<style>" + WebAssets.inline(WebAssets.uplotCss()) + "</style>\n"
                + "<script>" + WebAssets.inline(WebAssets.uplotJs()) + "</script>\n"
                + "<script>window.DG_STATIC = " + WebAssets.inline(JSON.writeValueAsString(data)) + ";</script>";
        return WebAssets.page(head);
    }
}
