package io.driftguard.bench;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import moa.classifiers.core.driftdetection.ADWINChangeDetector;

/**
 * The peer that {@code bench throughput} measures beside the job: MOA's ADWIN with its default
 * options on every feature of every key, one thread, over the same CSV ({@code ts,key,f0,...}),
 * reading and parsing included. It is what a user would run instead of driftguard to watch each
 * feature of each key for a change of its mean.
 *
 * <p>Only loaded when {@link MoaBaselines#available()}: MOA is GPL-3.0 and ships only in {@code
 * driftguard-bench.jar}.
 */
public final class MoaAdwinRate {

    /** What one pass measured. */
    public record Result(long records, long changes, long nanos) {
        /** Records per second. */
        public double rate() {
            return records * 1e9 / Math.max(1, nanos);
        }
    }

    private MoaAdwinRate() {}

    /** Feeds every feature of every record of {@code csv} to its key's ADWIN and times it. */
    public static Result run(Path csv) throws Exception {
        long t0 = System.nanoTime();
        Map<String, ADWINChangeDetector[]> detectors = new HashMap<>();
        long records = 0;
        long changes = 0;
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            int d = header.split(",").length - 2;
            String line;
            while ((line = in.readLine()) != null) {
                int a = line.indexOf(',');
                int b = line.indexOf(',', a + 1);
                String key = line.substring(a + 1, b);
                ADWINChangeDetector[] det = detectors.get(key);
                if (det == null) {
                    det = new ADWINChangeDetector[d];
                    for (int f = 0; f < d; f++) {
                        det[f] = new ADWINChangeDetector();
                        det[f].prepareForUse();
                    }
                    detectors.put(key, det);
                }
                int from = b + 1;
                for (int f = 0; f < d; f++) {
                    int to = line.indexOf(',', from);
                    if (to < 0) {
                        to = line.length();
                    }
                    det[f].input(Double.parseDouble(line.substring(from, to)));
                    if (det[f].getChange()) {
                        changes++;
                    }
                    from = to + 1;
                }
                records++;
            }
        }
        return new Result(records, changes, System.nanoTime() - t0);
    }
}
