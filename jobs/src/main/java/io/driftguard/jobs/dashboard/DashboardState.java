package io.driftguard.jobs.dashboard;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the dashboard knows: per key, its drift events, the prequential error of its predictions
 * and its model versions, aggregated on the server so that a page asks only for the keys it shows
 * and for one key's series.
 *
 * <p>Thread-safe: followers feed it from their threads while HTTP handlers read it. Every change
 * bumps a sequence number; {@link #awaitChange} lets the live stream wait for the next one.
 */
public final class DashboardState {

    /** Events kept per key; older ones are dropped (the overview's counts keep them). */
    static final int MAX_EVENTS_PER_KEY = 20_000;
    /** Labelled predictions averaged into one point of a key's prediction error series. */
    static final int PREDICTION_BUCKET = 100;
    /** Points kept per key of the prediction error series and of the version changes. */
    static final int MAX_POINTS_PER_KEY = 5_000;

    private static final JsonFactory JSON = new ObjectMapper().getFactory();

    private final Map<String, KeyState> keys = new HashMap<>();
    private final Map<String, TreeMap<Long, JsonNode>> models = new HashMap<>();
    private long seq;
    private long rejectedRecords;

    /** One evaluated window. */
    record EventPoint(
            long windowStart,
            long windowEnd,
            double mmd2,
            double pValue,
            double aDistance,
            boolean drift,
            boolean calibrated,
            Long changeAt,
            String[] featureNames,
            double[] featureScores,
            long modelVersion,
            double error,
            long labelled) {}

    /** A change of the model version that scored a key's predictions. */
    record VersionChange(long ts, long from, long to) {}

    /** A point of a key's prediction error: the mean over {@link #PREDICTION_BUCKET} labelled records. */
    record ErrorPoint(long ts, double error) {}

    private static final class KeyState {
        final String key;
        final ArrayList<EventPoint> events = new ArrayList<>();
        long windows;
        long alarms;
        long lastAlarmEnd = Long.MIN_VALUE;
        long versionAtAlarm = -1;
        boolean swappedAfterAlarm;
        boolean regression;
        // predictions
        long predictions;
        long labelled;
        double errorSum;
        long lastPredictionVersion = -1;
        long bucketCount;
        double bucketSum;
        final ArrayList<ErrorPoint> errorSeries = new ArrayList<>();
        final ArrayList<VersionChange> versionChanges = new ArrayList<>();
        long changedAt;

        KeyState(String key) {
            this.key = key;
        }

        EventPoint last() {
            return events.isEmpty() ? null : events.get(events.size() - 1);
        }
    }

    // ---- input --------------------------------------------------------------------------------

    /** Takes one drift event (the JSON of README.md's event table); returns false when it has no key. */
    public synchronized boolean acceptEvent(JsonNode n) {
        String key = n.path("key").asText(null);
        if (key == null || !n.has("window_end")) {
            return false;
        }
        KeyState k = key(key);
        JsonNode f = n.path("features");
        int nf = Math.min(f.size(), 8);
        String[] names = new String[nf];
        double[] scores = new double[nf];
        for (int i = 0; i < nf; i++) {
            names[i] = f.get(i).path("name").asText();
            scores[i] = number(f.get(i).path("score"));
        }
        double error = Double.NaN;
        if (n.has("accuracy")) {
            error = 1 - number(n.get("accuracy"));
        } else if (n.has("mse")) {
            error = number(n.get("mse"));
            k.regression = true;
        }
        boolean drift = n.path("drift").asBoolean(false);
        EventPoint e = new EventPoint(
                n.path("window_start").asLong(),
                n.path("window_end").asLong(),
                number(n.path("mmd2")),
                number(n.path("p_value")),
                number(n.path("a_distance")),
                drift,
                n.path("calibrated").asBoolean(true),
                n.hasNonNull("change_at") ? n.get("change_at").asLong() : null,
                names,
                scores,
                n.has("model_version") ? n.get("model_version").asLong() : -1,
                error,
                n.path("n_labelled").asLong(0));
        // files and topics deliver a key's windows in order; a late one is placed where it belongs
        int at = k.events.size();
        while (at > 0 && k.events.get(at - 1).windowEnd() > e.windowEnd()) {
            at--;
        }
        k.events.add(at, e);
        if (k.events.size() > MAX_EVENTS_PER_KEY) {
            k.events.subList(0, k.events.size() - MAX_EVENTS_PER_KEY).clear();
        }
        k.windows++;
        if (drift) {
            k.alarms++;
            if (e.windowEnd() >= k.lastAlarmEnd) {
                k.lastAlarmEnd = e.windowEnd();
                k.versionAtAlarm = e.modelVersion();
                k.swappedAfterAlarm = false;
            }
        } else if (k.lastAlarmEnd != Long.MIN_VALUE && e.windowEnd() > k.lastAlarmEnd
                && e.modelVersion() > k.versionAtAlarm) {
            k.swappedAfterAlarm = true;
        }
        touch(k);
        return true;
    }

    /** Takes one prediction (key, ts, label, prediction, model_version). */
    public synchronized boolean acceptPrediction(JsonNode n) {
        String key = n.path("key").asText(null);
        if (key == null) {
            return false;
        }
        KeyState k = key(key);
        long ts = n.path("ts").asLong();
        long version = n.path("model_version").asLong(-1);
        k.predictions++;
        if (version != k.lastPredictionVersion) {
            if (k.lastPredictionVersion >= 0 || version > 0) {
                add(k.versionChanges, new VersionChange(ts, k.lastPredictionVersion, version));
            }
            k.lastPredictionVersion = version;
        }
        JsonNode label = n.get("label");
        JsonNode prediction = n.get("prediction");
        if (label != null && !label.isNull() && prediction != null && !prediction.isNull() && version >= 0) {
            double err;
            if (prediction.isNumber()) {
                k.regression = true;
                double d = prediction.asDouble() - Double.parseDouble(label.asText().trim());
                err = d * d;
            } else {
                err = label.asText().equals(prediction.asText()) ? 0 : 1;
            }
            if (Double.isFinite(err)) {
                k.labelled++;
                k.errorSum += err;
                k.bucketCount++;
                k.bucketSum += err;
                if (k.bucketCount == PREDICTION_BUCKET) {
                    add(k.errorSeries, new ErrorPoint(ts, k.bucketSum / k.bucketCount));
                    k.bucketCount = 0;
                    k.bucketSum = 0;
                }
            }
        }
        touch(k);
        return true;
    }

    /** Takes one model version's metadata (as {@code ModelJson} writes it). */
    public synchronized boolean acceptModel(JsonNode n) {
        String id = n.path("model_id").asText(null);
        if (id == null || !n.has("version")) {
            return false;
        }
        TreeMap<Long, JsonNode> versions = models.computeIfAbsent(id, x -> new TreeMap<>());
        JsonNode old = versions.get(n.get("version").asLong());
        // a revocation replaces the version; a repeated record changes nothing
        if (old != null && old.equals(n)) {
            return false;
        }
        versions.put(n.get("version").asLong(), n);
        KeyState k = keys.get(id);
        if (k != null) {
            touch(k);
        } else {
            // a shared model concerns every key
            seq++;
            for (KeyState each : keys.values()) {
                each.changedAt = seq;
            }
            notifyAll();
        }
        return true;
    }

    /** Counts a model record that could not be decoded. */
    public synchronized void rejectModelRecord() {
        rejectedRecords++;
        seq++;
        notifyAll();
    }

    private KeyState key(String key) {
        return keys.computeIfAbsent(key, KeyState::new);
    }

    private void touch(KeyState k) {
        seq++;
        k.changedAt = seq;
        notifyAll();
    }

    private static <T> void add(List<T> list, T item) {
        list.add(item);
        if (list.size() > MAX_POINTS_PER_KEY) {
            list.subList(0, list.size() - MAX_POINTS_PER_KEY).clear();
        }
    }

    private static double number(JsonNode n) {
        return n == null || !n.isNumber() ? Double.NaN : n.asDouble();
    }

    // ---- change notification -------------------------------------------------------------------

    /** The current sequence number: it grows with every change. */
    public synchronized long sequence() {
        return seq;
    }

    /** Waits until the sequence number passes {@code seen} or {@code millis} pass; returns the current one. */
    public synchronized long awaitChange(long seen, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (seq <= seen) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return seq;
    }

    /** Keys changed after sequence number {@code since}, at most {@code limit} of them, in name order. */
    public synchronized List<String> changedSince(long since, int limit) {
        List<String> out = new ArrayList<>();
        for (KeyState k : keys.values()) {
            if (k.changedAt > since) {
                out.add(k.key);
            }
        }
        out.sort(Comparator.naturalOrder());
        return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }

    /** Number of keys seen. */
    public synchronized int keyCount() {
        return keys.size();
    }

    // ---- views ----------------------------------------------------------------------------------

    /** A key's state: ok, calibrating, drift or adapting. */
    private String state(KeyState k) {
        EventPoint last = k.last();
        if (last == null) {
            return "ok";
        }
        if (last.drift()) {
            return "drift";
        }
        boolean modelled = last.modelVersion() >= 0 || k.predictions > 0;
        if (modelled && k.lastAlarmEnd != Long.MIN_VALUE && !answered(k)) {
            // an alarm that no trained version (accepted or rejected) has answered yet
            return "adapting";
        }
        return last.calibrated() ? "ok" : "calibrating";
    }

    private boolean answered(KeyState k) {
        if (k.swappedAfterAlarm) {
            return true;
        }
        for (VersionChange c : k.versionChanges) {
            if (c.ts() >= k.lastAlarmEnd) {
                return true;
            }
        }
        for (JsonNode m : modelsOf(k.key)) {
            JsonNode l = m.path("lineage");
            long end = l.path("trigger_end").asLong(-1);
            if (end >= 0 && end >= lastAlarmStart(k)) {
                return true;
            }
        }
        return false;
    }

    private static long lastAlarmStart(KeyState k) {
        for (int i = k.events.size() - 1; i >= 0; i--) {
            if (k.events.get(i).drift()) {
                return k.events.get(i).windowStart();
            }
        }
        return Long.MIN_VALUE;
    }

    private List<JsonNode> modelsOf(String key) {
        TreeMap<Long, JsonNode> own = models.get(key);
        if (own != null) {
            return new ArrayList<>(own.values());
        }
        // no model carries the key's name: the models not named after a key (a shared model)
        List<JsonNode> shared = new ArrayList<>();
        models.forEach((id, v) -> {
            if (!keys.containsKey(id)) {
                shared.addAll(v.values());
            }
        });
        return shared;
    }

    private long servingVersion(KeyState k) {
        EventPoint last = k.last();
        if (last != null && last.modelVersion() >= 0) {
            return last.modelVersion();
        }
        if (k.lastPredictionVersion >= 0) {
            return k.lastPredictionVersion;
        }
        long v = -1;
        for (JsonNode m : modelsOf(k.key)) {
            if ("accepted".equals(m.path("status").asText())) {
                v = Math.max(v, m.path("version").asLong());
            }
        }
        return v;
    }

    /** The key's latest prequential error: its last window's, else its last prediction bucket's. */
    private double error(KeyState k) {
        for (int i = k.events.size() - 1; i >= 0 && i >= k.events.size() - 3; i--) {
            if (!Double.isNaN(k.events.get(i).error())) {
                return k.events.get(i).error();
            }
        }
        if (!k.errorSeries.isEmpty()) {
            return k.errorSeries.get(k.errorSeries.size() - 1).error();
        }
        return k.labelled == 0 ? Double.NaN : k.errorSum / k.labelled;
    }

    /** One row of the overview. */
    record Row(String key, String state, long lastAlarm, long windows, long alarms, long version, double error,
            boolean regression) {}

    private Row row(KeyState k) {
        return new Row(k.key, state(k), k.lastAlarmEnd, k.windows, k.alarms, servingVersion(k), error(k),
                k.regression);
    }

    /**
     * A page of the overview as JSON: {@code total}, {@code matched}, {@code offset}, {@code
     * counts} (keys per state, over all keys), {@code rows}.
     *
     * @param filter case-insensitive part of the key name ("" for all)
     * @param state only keys in this state (null for all)
     * @param sort key, state, last_alarm, windows, alarms, version or error
     * @param descending sort order
     */
    public synchronized String overviewJson(String filter, String state, String sort, boolean descending,
            int offset, int limit) {
        String f = filter == null ? "" : filter.toLowerCase(Locale.ROOT);
        Map<String, Integer> counts = new TreeMap<>(Map.of("ok", 0, "calibrating", 0, "drift", 0, "adapting", 0));
        List<Row> rows = new ArrayList<>();
        for (KeyState k : keys.values()) {
            Row r = row(k);
            counts.merge(r.state(), 1, Integer::sum);
            if ((f.isEmpty() || k.key.toLowerCase(Locale.ROOT).contains(f))
                    && (state == null || state.isEmpty() || state.equals(r.state()))) {
                rows.add(r);
            }
        }
        Comparator<Row> byKey = Comparator.comparing(Row::key);
        Comparator<Row> c = switch (sort == null ? "key" : sort) {
            case "state" -> Comparator.comparingInt((Row r) -> stateRank(r.state()));
            case "last_alarm" -> Comparator.comparingLong(Row::lastAlarm);
            case "windows" -> Comparator.comparingLong(Row::windows);
            case "alarms" -> Comparator.comparingLong(Row::alarms);
            case "version" -> Comparator.comparingLong(Row::version);
            // keys without an error sort below every number
            case "error" -> Comparator.comparingDouble((Row r) -> Double.isNaN(r.error()) ? -1 : r.error());
            default -> byKey;
        };
        c = descending ? c.reversed() : c;
        rows.sort(c.thenComparing(byKey));
        int from = Math.max(0, Math.min(offset, rows.size()));
        int to = Math.min(rows.size(), from + Math.max(1, limit));
        return write(g -> {
            g.writeNumberField("seq", seq);
            g.writeNumberField("total", keys.size());
            g.writeNumberField("matched", rows.size());
            g.writeNumberField("offset", from);
            g.writeNumberField("model_records_rejected", rejectedRecords);
            g.writeObjectFieldStart("counts");
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeArrayFieldStart("rows");
            for (Row r : rows.subList(from, to)) {
                writeRow(g, r);
            }
            g.writeEndArray();
        });
    }

    private static int stateRank(String s) {
        return switch (s) {
            case "drift" -> 3;
            case "adapting" -> 2;
            case "calibrating" -> 1;
            default -> 0;
        };
    }

    private static void writeRow(JsonGenerator g, Row r) throws IOException {
        g.writeStartObject();
        g.writeStringField("key", r.key());
        g.writeStringField("state", r.state());
        if (r.lastAlarm() != Long.MIN_VALUE) {
            g.writeNumberField("last_alarm", r.lastAlarm());
        }
        g.writeNumberField("windows", r.windows());
        g.writeNumberField("alarms", r.alarms());
        if (r.version() >= 0) {
            g.writeNumberField("version", r.version());
        }
        num(g, "error", r.error());
        g.writeStringField("error_kind", r.regression() ? "mse" : "error rate");
        g.writeEndObject();
    }

    /** The key's series as JSON, or null when the key is unknown. */
    public synchronized String keyJson(String key) {
        KeyState k = keys.get(key);
        if (k == null) {
            return null;
        }
        Row r = row(k);
        return write(g -> {
            g.writeNumberField("seq", seq);
            g.writeFieldName("summary");
            writeRow(g, r);
            g.writeArrayFieldStart("events");
            for (EventPoint e : k.events) {
                g.writeStartObject();
                g.writeNumberField("ws", e.windowStart());
                g.writeNumberField("we", e.windowEnd());
                num(g, "mmd2", e.mmd2());
                num(g, "p", e.pValue());
                num(g, "a", e.aDistance());
                if (e.drift()) {
                    g.writeBooleanField("drift", true);
                    g.writeArrayFieldStart("features");
                    for (int i = 0; i < e.featureNames().length; i++) {
                        g.writeStartObject();
                        g.writeStringField("name", e.featureNames()[i]);
                        num(g, "score", e.featureScores()[i]);
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                if (!e.calibrated()) {
                    g.writeBooleanField("cal", false);
                }
                if (e.changeAt() != null) {
                    g.writeNumberField("change_at", e.changeAt());
                }
                if (e.modelVersion() >= 0) {
                    g.writeNumberField("mv", e.modelVersion());
                }
                num(g, "err", e.error());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("prediction_error");
            for (ErrorPoint p : k.errorSeries) {
                g.writeStartArray();
                g.writeNumber(p.ts());
                g.writeNumber(p.error());
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeNumberField("predictions", k.predictions);
            g.writeNumberField("labelled", k.labelled);
            num(g, "cumulative_error", k.labelled == 0 ? Double.NaN : k.errorSum / k.labelled);
            g.writeArrayFieldStart("version_changes");
            for (VersionChange v : k.versionChanges) {
                g.writeStartObject();
                g.writeNumberField("ts", v.ts());
                g.writeNumberField("from", v.from());
                g.writeNumberField("to", v.to());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("models");
            for (JsonNode m : modelsOf(k.key)) {
                g.writeTree(m);
            }
            g.writeEndArray();
        });
    }

    /** Every key's name, in order. */
    public synchronized List<String> keyNames() {
        List<String> out = new ArrayList<>(keys.keySet());
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /** Model versions known: total, accepted, rejected. */
    public synchronized long[] modelCounts() {
        long total = 0;
        long accepted = 0;
        for (TreeMap<Long, JsonNode> v : models.values()) {
            for (JsonNode m : v.values()) {
                total++;
                if ("accepted".equals(m.path("status").asText())) {
                    accepted++;
                }
            }
        }
        return new long[] {total, accepted, total - accepted};
    }

    private static void num(JsonGenerator g, String field, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumberField(field, v);
        }
    }

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
