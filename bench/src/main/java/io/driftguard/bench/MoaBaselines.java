package io.driftguard.bench;

import java.util.List;
import java.util.function.Supplier;

/**
 * MOA's change detectors as baselines, when MOA is on the class path.
 *
 * <p>MOA is GPL-3.0 and ships only in {@code driftguard-bench.jar}; in {@code driftguard.jar} it
 * is absent, which {@link #available()} detects by name so that no MOA class is ever loaded then.
 */
public final class MoaBaselines {

    /** The class probed to decide whether MOA is present. */
    static final String PROBE_CLASS = "moa.classifiers.core.driftdetection.ADWIN";

    private MoaBaselines() {}

    /** Whether MOA's drift detectors can be loaded. */
    public static boolean available() {
        try {
            Class.forName(PROBE_CLASS, false, MoaBaselines.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The message printed when the MOA baselines are skipped. */
    public static String absenceMessage() {
        return "MOA (GPL-3.0) is not on the class path: skipping the ADWIN, PageHinkleyDM and DDM"
                + " baselines; run with jobs/target/driftguard-bench.jar to include them";
    }

    /** Factories for the three baselines, or an empty list when MOA is absent. */
    public static List<Supplier<WindowDetector>> factories() {
        if (!available()) {
            return List.of();
        }
        return List.of(
                () -> new MoaFeatureDetector(MoaFeatureDetector.Kind.ADWIN),
                () -> new MoaFeatureDetector(MoaFeatureDetector.Kind.PAGE_HINKLEY),
                () -> new MoaFeatureDetector(MoaFeatureDetector.Kind.DDM));
    }
}
