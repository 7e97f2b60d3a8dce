package io.driftguard.operators.savepoint;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the savepoint fixtures of a release: for each {@link SavepointScenario} the operator's
 * state at the scenario's cut, as this code writes it, to {@code
 * src/test/resources/savepoints/<release>/<scenario>.snapshot} ({@link
 * OperatorSnapshotUtil#writeStateHandle}). Each release adds its own directory and keeps the older
 * ones, which {@link PreviousReleaseSavepointTest} restores into the current code.
 *
 * <p>Run it once per release, before changing any state format, from the repository root:
 *
 * <pre>
 * mvn -B -pl operators test -Dtest=SavepointFixtureGenerator -Ddriftguard.savepoint.release=0.2.0
 * </pre>
 *
 * (the release is the project version without {@code -SNAPSHOT}); then commit the new directory.
 * Without the property the class does nothing.
 */
@EnabledIfSystemProperty(named = SavepointFixtureGenerator.RELEASE_PROPERTY, matches = ".+")
class SavepointFixtureGenerator {

    static final String RELEASE_PROPERTY = "driftguard.savepoint.release";

    /** The fixtures' directory, relative to the operators module. */
    static final Path ROOT = Path.of("src", "test", "resources", "savepoints");

    @Test
    void writeFixtures() throws Exception {
        Path dir = ROOT.resolve(System.getProperty(RELEASE_PROPERTY));
        Files.createDirectories(dir);
        for (SavepointScenario<?> s : SavepointScenario.all()) {
            OperatorSnapshotUtil.writeStateHandle(snapshotAtCut(s), dir.resolve(s.name() + ".snapshot").toString());
        }
    }

    /** The scenario's operator run from the start to its cut, and snapshotted. */
    static <H extends AbstractStreamOperatorTestHarness<?>> OperatorSubtaskState snapshotAtCut(SavepointScenario<H> s)
            throws Exception {
        H h = s.open(null);
        s.start(h);
        for (int i = 0; i < s.cut(); i++) {
            s.step(h, i);
        }
        OperatorSubtaskState state = h.snapshot(1L, 1L);
        h.close();
        return state;
    }
}
