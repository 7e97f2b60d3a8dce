package io.driftguard.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.driftguard.jobs.cli.UserError;
import io.driftguard.operators.functions.DriftSettings;
import io.driftguard.operators.functions.ReferencePolicy;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {

    @TempDir Path dir;

    private Path yaml(String content) throws IOException {
        Path f = dir.resolve("conf.yaml");
        Files.writeString(f, content);
        return f;
    }

    private static DriftSettings settings(Map<String, String> values) {
        return JobConfig.driftSettings(JobConfig.build(values, Map.of()));
    }

    // ---------------------------------------------------------------- readYaml

    @Test
    void nestedKeysAreFlattenedWithDots() throws IOException {
        Path f =
                yaml("drift:\n"
                        + "  window:\n"
                        + "    size: 30s\n"
                        + "  reference: last-3\n"
                        + "  mmd:\n"
                        + "    permutations: 99\n"
                        + "kafka:\n"
                        + "  bootstrap-servers: broker-1:9092\n");
        assertThat(JobConfig.readYaml(f))
                .containsExactly(
                        entry("drift.window.size", "30s"),
                        entry("drift.reference", "last-3"),
                        entry("drift.mmd.permutations", "99"),
                        entry("kafka.bootstrap-servers", "broker-1:9092"));
    }

    @Test
    void flatAndMixedKeysGiveTheSameMap() throws IOException {
        Map<String, String> flat =
                JobConfig.readYaml(yaml("drift.window.size: 500\ndrift.seed: 7\nparallelism.default: 4\n"));
        assertThat(flat)
                .containsOnly(
                        entry("drift.window.size", "500"),
                        entry("drift.seed", "7"),
                        entry("parallelism.default", "4"));
        Map<String, String> mixed =
                JobConfig.readYaml(yaml("drift:\n  window.size: 500\n  seed: 7\nparallelism.default: 4\n"));
        assertThat(mixed).isEqualTo(flat);
    }

    @Test
    void scalarsAreTextListsAreJoinedAndNullsAreDropped() throws IOException {
        Map<String, String> m =
                JobConfig.readYaml(
                        yaml("a: true\nb: 1.5\nc: [x, y, z]\nd:\ne: ~\nf: 'quoted: text'\n"));
        assertThat(m)
                .containsOnly(
                        entry("a", "true"),
                        entry("b", "1.5"),
                        entry("c", "x;y;z"),
                        entry("f", "quoted: text"));
    }

    @Test
    void emptyFileGivesAnEmptyMap() throws IOException {
        assertThat(JobConfig.readYaml(yaml(""))).isEmpty();
        assertThat(JobConfig.readYaml(yaml("# only a comment\n"))).isEmpty();
    }

    @Test
    void missingFileIsAUserError() {
        Path f = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> JobConfig.readYaml(f))
                .isInstanceOf(UserError.class)
                .hasMessageContaining(f.toString());
    }

    @Test
    void topLevelScalarOrListIsAUserError() throws IOException {
        Path scalar = yaml("just text\n");
        assertThatThrownBy(() -> JobConfig.readYaml(scalar))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("mapping");
        Path list = yaml("- a\n- b\n");
        assertThatThrownBy(() -> JobConfig.readYaml(list)).isInstanceOf(UserError.class);
    }

    @Test
    void invalidYamlIsAOneLineUserError() throws IOException {
        Path f = yaml("drift:\n  window: [unclosed\n  reference: fixed\n");
        assertThatThrownBy(() -> JobConfig.readYaml(f))
                .isInstanceOf(UserError.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("not valid YAML")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    // ---------------------------------------------------------------- build

    @Test
    void overridesWinOverFileValues() {
        Configuration c =
                JobConfig.build(
                        Map.of("drift.window.size", "500", "drift.seed", "1"),
                        Map.of("drift.window.size", "10m"));
        assertThat(c.get(DriftguardOptions.WINDOW_SIZE)).isEqualTo("10m");
        assertThat(c.get(DriftguardOptions.SEED)).isEqualTo(1L);
        assertThat(c.get(DriftguardOptions.REFERENCE)).isEqualTo("fixed");
    }

    @Test
    void foreignKeysPassThrough() {
        Configuration c = JobConfig.build(Map.of("parallelism.default", "3", "my.custom", "x"), Map.of());
        assertThat(c.toMap()).containsEntry("parallelism.default", "3").containsEntry("my.custom", "x");
    }

    @Test
    void unknownDriftguardKeysAreUserErrors() {
        assertThatThrownBy(() -> JobConfig.build(Map.of("drift.windw.size", "500"), Map.of()))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("'drift.windw.size'");
        assertThatThrownBy(() -> JobConfig.build(Map.of(), Map.of("drift.mmd.permutation", "9")))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("'drift.mmd.permutation'");
        assertThatThrownBy(() -> JobConfig.build(Map.of("kafka.bootstrap", "x"), Map.of()))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("'kafka.bootstrap'");
    }

    @Test
    void theDelayEmbeddingParsesAndBadValuesAreOneLine() {
        assertThat(JobConfig.driftSettings(JobConfig.build(Map.of(), Map.of())).embedding().enabled()).isFalse();
        var e = JobConfig.driftSettings(JobConfig.build(
                Map.of("drift.embedding.dimension", "4", "drift.embedding.delay", "6"), Map.of())).embedding();
        assertThat(e.dimension()).isEqualTo(4);
        assertThat(e.span()).isEqualTo(18);
        assertThatThrownBy(() -> JobConfig.driftSettings(JobConfig.build(Map.of("drift.embedding.dimension", "0"),
                Map.of())))
                .isInstanceOf(UserError.class)
                .hasMessage("embedding dimension must be in 1..64, got 0");
    }

    @Test
    void modelSettingsParseFromTheirKeysAndBadValuesAreOneLine() {
        assertThat(JobConfig.modelSettings(JobConfig.build(Map.of(), Map.of()))).isNull();
        var m = JobConfig.modelSettings(JobConfig.build(Map.of(
                "model.task", "regression", "model.kind", "gru", "model.hidden", "16, 8", "model.steps", "12",
                "model.scope", "shared", "model.adapt", "none", "model.buffer", "2000"), Map.of()));
        assertThat(m.task()).isEqualTo(io.driftguard.operators.model.Task.REGRESSION);
        assertThat(m.kind()).isEqualTo(io.driftguard.operators.model.ModelKind.GRU);
        assertThat(m.hidden()).containsExactly(16, 8);
        assertThat(m.inputSteps()).isEqualTo(12);
        assertThat(m.modelIdOf("any-key")).isEqualTo("shared");
        assertThat(m.adapt()).isEqualTo(io.driftguard.operators.model.ModelSettings.Adapt.NONE);
        assertThat(m.maxTrainRecords()).isEqualTo(2000);
        assertThat(m.strategies()).isEmpty();
        var auto = JobConfig.modelSettings(JobConfig.build(Map.of("model.task", "classification",
                "model.adapt", "weights, meda", "model.freeze-layers", "1"), Map.of()));
        assertThat(auto.strategies()).containsExactly(io.driftguard.operators.model.ModelSettings.Strategy.WEIGHTS,
                io.driftguard.operators.model.ModelSettings.Strategy.MEDA);
        assertThat(auto.freezeLower()).isEqualTo(1);
        assertThat(auto.lagLabels()).isZero();
        assertThat(JobConfig.modelSettings(JobConfig.build(Map.of("model.task", "classification",
                "model.lag-labels", "2"), Map.of())).lagLabels()).isEqualTo(2);
        assertThatThrownBy(() -> JobConfig.modelSettings(JobConfig.build(Map.of("model.task", "classification",
                "model.lag-labels", "65"), Map.of())))
                .isInstanceOf(UserError.class)
                .hasMessage("model.lag-labels must be in 0..64, got 65");
        assertThatThrownBy(() -> JobConfig.modelSettings(JobConfig.build(Map.of("model.task", "classification",
                "model.adapt", "magic"), Map.of())))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith("unknown adaptation 'magic'");
        assertThatThrownBy(() -> JobConfig.modelSettings(JobConfig.build(Map.of("model.task", "clustering"), Map.of())))
                .isInstanceOf(UserError.class)
                .hasMessage("unknown task 'clustering' (use classification or regression)");
        assertThatThrownBy(() -> JobConfig.build(Map.of("model.tsak", "regression"), Map.of()))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("'model.tsak'");
    }

    @Test
    void missingMarkersAreParsedAndATypoOrANumberIsRefused() {
        assertThat(JobConfig.missingMarkers(JobConfig.build(Map.of(), Map.of())))
                .isEqualTo(io.driftguard.connectors.parse.MissingMarkers.DEFAULT);
        assertThat(JobConfig.missingMarkers(JobConfig.build(Map.of("input.missing-markers", "?,n/a"), Map.of()))
                        .isMissing("N/A"))
                .isTrue();
        assertThatThrownBy(() -> JobConfig.build(Map.of("input.missing-marker", "NA"), Map.of()))
                .isInstanceOf(UserError.class).hasMessageContaining("unknown configuration key");
        assertThatThrownBy(() -> JobConfig.missingMarkers(
                        JobConfig.build(Map.of("input.missing-markers", "NA,-999"), Map.of())))
                .isInstanceOf(UserError.class).hasMessageContaining("input.missing-markers");
    }

    @Test
    void everyDeclaredOptionIsKnown() throws IllegalAccessException {
        Map<String, ConfigOption<?>> options = JobConfig.options();
        int declared = 0;
        for (Field f : DriftguardOptions.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
                declared++;
                ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                assertThat(options).containsKey(o.key());
                assertThat(o.key()).matches("(drift|input|kafka|model)\\.[a-z0-9.-]+");
                assertThat(JobConfig.build(Map.of(o.key(), String.valueOf(o.defaultValue())), Map.of()))
                        .isNotNull();
            }
        }
        assertThat(options).hasSize(declared);
    }

    // ---------------------------------------------------------------- driftSettings

    @Test
    void defaultsAreTheDocumentedOnes() {
        DriftSettings s = settings(Map.of());
        assertThat(s.window().countBased()).isTrue();
        assertThat(s.window().size()).isEqualTo(500L);
        assertThat(s.reference().kind()).isEqualTo(ReferencePolicy.Kind.FIXED);
        assertThat(s.permutations()).isEqualTo(200);
        assertThat(s.reservoirSize()).isEqualTo(256);
        assertThat(s.kllK()).isZero();
        assertThat(s.rffPairs()).isEqualTo(128);
        assertThat(s.sketchesEnabled()).isTrue();
        assertThat(s.expectedRunLength()).isEqualTo(2000.0);
        assertThat(s.seed()).isEqualTo(42L);
    }

    @Test
    void valuesFromTheConfigurationAreParsed() {
        DriftSettings s =
                settings(
                        Map.of(
                                "drift.window.size", "10m",
                                "drift.reference", "seasonal:1h",
                                "drift.mmd.permutations", "99",
                                "drift.sketch.reservoir-size", "64",
                                "drift.sketch.enabled", "false",
                                "drift.false-alarm.erl", "250.5",
                                "drift.seed", "-3"));
        assertThat(s.window().countBased()).isFalse();
        assertThat(s.window().size()).isEqualTo(600_000L);
        assertThat(s.reference().kind()).isEqualTo(ReferencePolicy.Kind.SEASONAL);
        assertThat(s.reference().windows()).isEqualTo(6);
        assertThat(s.permutations()).isEqualTo(99);
        assertThat(s.reservoirSize()).isEqualTo(64);
        assertThat(s.sketchesEnabled()).isFalse();
        assertThat(s.expectedRunLength()).isEqualTo(250.5);
        assertThat(s.seed()).isEqualTo(-3L);
    }

    @Test
    void yamlFileAndOverridesEndInSettings() throws IOException {
        Path f = yaml("drift:\n  window:\n    size: 1h\n  reference: last-4\n");
        Configuration c = JobConfig.build(JobConfig.readYaml(f), Map.of("drift.reference", "fixed"));
        DriftSettings s = JobConfig.driftSettings(c);
        assertThat(s.window().size()).isEqualTo(3_600_000L);
        assertThat(s.reference().kind()).isEqualTo(ReferencePolicy.Kind.FIXED);
    }

    @Test
    void badReferenceIsAUserError() {
        assertThatThrownBy(() -> settings(Map.of("drift.reference", "sometimes")))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("'sometimes'");
        assertThatThrownBy(() -> settings(Map.of("drift.reference", "last-0")))
                .isInstanceOf(UserError.class);
        assertThatThrownBy(() -> settings(Map.of("drift.window.size", "10m", "drift.reference", "seasonal:25m")))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("whole number of windows");
    }

    @Test
    void badWindowIsAUserError() {
        assertThatThrownBy(() -> settings(Map.of("drift.window.size", "10x")))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("10x");
        assertThatThrownBy(() -> settings(Map.of("drift.window.size", "2")))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("at least 4");
    }

    @Test
    void overflowingWindowDurationIsAUserError() {
        assertThatThrownBy(() -> settings(Map.of("drift.window.size", "999999999999999d")))
                .isInstanceOf(UserError.class);
    }

    @Test
    void outOfRangeNumbersAreUserErrors() {
        assertThatThrownBy(() -> settings(Map.of("drift.mmd.permutations", "5")))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("permutations");
        assertThatThrownBy(() -> settings(Map.of("drift.false-alarm.erl", "1")))
                .isInstanceOf(UserError.class);
    }

    @Test
    void unparsableNumbersAreUserErrors() {
        assertThatThrownBy(() -> settings(Map.of("drift.mmd.permutations", "many")))
                .isInstanceOf(UserError.class);
    }
}
