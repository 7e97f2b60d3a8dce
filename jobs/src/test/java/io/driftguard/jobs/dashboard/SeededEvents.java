package io.driftguard.jobs.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/** Drift events and predictions as the job writes them, for a few made-up keys. */
final class SeededEvents {

    static final long T0 = 1_700_000_000_000L;
    static final long WINDOW = 60_000L;

    private SeededEvents() {}

    /** Window {@code i} of {@code key}: calibrated from window 10 on, an alarm where {@code drift}. */
    static String event(String key, int i, boolean drift, long modelVersion, double accuracy) {
        long ws = T0 + i * WINDOW;
        long we = ws + WINDOW;
        double mmd2 = drift ? 0.12 : 0.002 + 0.001 * Math.sin(i);
        double p = drift ? 0.002 : 0.3 + 0.2 * Math.cos(i);
        double a = drift ? 1.4 : 0.1;
        StringBuilder sb = new StringBuilder(256);
        sb.append(String.format(Locale.ROOT, "{\"key\":\"%s\",\"window_start\":%d,\"window_end\":%d,"
                        + "\"reference_start\":%d,\"reference_end\":%d,\"n_ref\":400,\"n_cur\":50,\"mmd2\":%.6f,"
                        + "\"sigma\":1.2,\"p_value\":%.6f,\"p_value_kind\":\"calibrated\",\"a_distance\":%.3f,"
                        + "\"drift\":%s,\"calibrated\":%s,\"features\":[{\"name\":\"temp\",\"score\":%.3f},"
                        + "{\"name\":\"load\",\"score\":0.05}]",
                key, ws, we, T0, T0 + 8 * WINDOW, mmd2, p, a, drift, i >= 10, drift ? 0.61 : 0.04));
        if (drift) {
            sb.append(",\"change_at\":").append(ws + WINDOW / 3);
        }
        if (modelVersion >= 0) {
            sb.append(String.format(Locale.ROOT, ",\"model_version\":%d,\"n_scored\":50,\"n_labelled\":50,\"accuracy\":%.3f",
                    modelVersion, accuracy));
        }
        return sb.append('}').toString();
    }

    /** {@code n} windows of {@code key}, an alarm at {@code alarmAt} (-1: none), with a model when {@code model}. */
    static void write(Path file, String key, int n, int alarmAt, boolean model) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            long version = !model ? -1 : alarmAt >= 0 && i > alarmAt + 2 ? 2 : 1;
            double acc = alarmAt >= 0 && i >= alarmAt && i <= alarmAt + 2 ? 0.55 : 0.9;
            sb.append(event(key, i, i == alarmAt, version, acc)).append('\n');
        }
        append(file, sb.toString());
    }

    static void append(Path file, String lines) throws IOException {
        Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static String prediction(String key, long ts, String label, String predicted, long version) {
        return String.format(Locale.ROOT, "{\"key\":\"%s\",\"ts\":%d,\"label\":\"%s\",\"prediction\":\"%s\","
                + "\"probabilities\":{\"a\":0.7,\"b\":0.3},\"model_version\":%d}", key, ts, label, predicted, version);
    }
}
