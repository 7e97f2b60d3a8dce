package io.driftguard.jobs.cli;

import io.driftguard.connectors.serde.EventJson;
import io.driftguard.operators.detect.DriftEvent;
import io.driftguard.operators.record.DeadLetter;
import io.driftguard.operators.scoring.Prediction;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes events, dead letters and predictions as JSON lines files. */
final class JsonLines {

    private JsonLines() {}

    static void writeEvents(Path file, List<DriftEvent> events) throws IOException {
        createParent(file);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (DriftEvent e : events) {
                w.write(EventJson.toJson(e));
                w.write('\n');
            }
        }
    }

    static void writeDeadLetters(Path file, List<DeadLetter> dead) throws IOException {
        createParent(file);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (DeadLetter d : dead) {
                w.write(EventJson.toJson(d));
                w.write('\n');
            }
        }
    }

    static void writePredictions(Path file, List<Prediction> predictions)
            throws IOException {
        createParent(file);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Prediction p : predictions) {
                w.write(EventJson.toJson(p));
                w.write('\n');
            }
        }
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }
}
