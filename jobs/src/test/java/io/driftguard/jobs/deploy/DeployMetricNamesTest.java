package io.driftguard.jobs.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.driftguard.operators.functions.DriftMetrics;
import io.driftguard.operators.scoring.ModelMetrics;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the Prometheus rules in deploy/ name only metrics the job registers: a
 * renamed constant would otherwise leave a panel empty and an alert silent without any error.
 */
class DeployMetricNamesTest {

    private static final Path DEPLOY = Path.of(System.getProperty("user.dir")).resolveSibling("deploy");
    private static final String PREFIX = "flink_taskmanager_job_task_operator_driftguard_";
    private static final Pattern DRIFTGUARD_METRIC = Pattern.compile(Pattern.quote(PREFIX) + "([A-Za-z0-9_]+)");

    /** The names in the {@code driftguard} metric group: every public String constant of the two classes but the group. */
    private static Set<String> registeredNames() throws IllegalAccessException {
        Set<String> names = new TreeSet<>();
        for (Class<?> c : List.of(DriftMetrics.class, ModelMetrics.class)) {
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && !f.getName().equals("GROUP")) {
                    names.add((String) f.get(null));
                }
            }
        }
        return names;
    }

    private static List<String> dashboardExpressions() throws Exception {
        JsonNode d = new ObjectMapper().readTree(DEPLOY.resolve("grafana/driftguard-dashboard.json").toFile());
        List<String> exprs = new ArrayList<>();
        for (JsonNode p : d.path("panels")) {
            for (JsonNode t : p.path("targets")) {
                exprs.add(t.path("expr").asText());
            }
        }
        return exprs;
    }

    private static List<String> ruleExpressions() throws Exception {
        JsonNode r = new ObjectMapper(new YAMLFactory()).readTree(DEPLOY.resolve("prometheus/driftguard-rules.yaml").toFile());
        List<String> exprs = new ArrayList<>();
        for (JsonNode g : r.path("groups")) {
            for (JsonNode rule : g.path("rules")) {
                exprs.add(rule.path("expr").asText());
            }
        }
        return exprs;
    }

    private static Set<String> used(List<String> exprs) {
        Set<String> names = new LinkedHashSet<>();
        for (String e : exprs) {
            Matcher m = DRIFTGUARD_METRIC.matcher(e);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    @Test
    void dashboardAndRulesUseOnlyRegisteredMetrics() throws Exception {
        Set<String> registered = registeredNames();
        assertThat(registered).contains(ModelMetrics.SERVING_VERSION, DriftMetrics.DRIFT_ALARMS);
        List<String> dashboard = dashboardExpressions();
        List<String> rules = ruleExpressions();
        assertThat(dashboard).hasSizeGreaterThan(10);
        assertThat(rules).hasSizeGreaterThan(5);
        assertThat(used(dashboard)).isSubsetOf(registered);
        assertThat(used(rules)).isSubsetOf(registered);
    }

    @Test
    void theModelHasItsPanelsAndRules() throws Exception {
        assertThat(used(dashboardExpressions())).contains(
                ModelMetrics.SERVING_VERSION, ModelMetrics.PREQUENTIAL_ERROR, ModelMetrics.PREDICTIONS,
                ModelMetrics.RETRAINS_ACCEPTED, ModelMetrics.RETRAINS_REJECTED, ModelMetrics.TRAINING_MILLIS,
                ModelMetrics.SWAP_MILLIS, ModelMetrics.MODELS_REJECTED);
        assertThat(used(ruleExpressions())).contains(ModelMetrics.PREQUENTIAL_ERROR, ModelMetrics.MODELS_REJECTED);
    }

    @Test
    void panelIdsAreUniqueAndPanelsDoNotOverlap() throws Exception {
        JsonNode d = new ObjectMapper().readTree(DEPLOY.resolve("grafana/driftguard-dashboard.json").toFile());
        Set<Integer> ids = new TreeSet<>();
        List<int[]> boxes = new ArrayList<>();
        for (JsonNode p : d.path("panels")) {
            assertThat(ids.add(p.path("id").asInt())).as("panel id %s unique", p.path("id")).isTrue();
            JsonNode g = p.path("gridPos");
            int[] b = {g.path("x").asInt(), g.path("y").asInt(), g.path("w").asInt(), g.path("h").asInt()};
            assertThat(b[0] + b[2]).as("panel %s fits the 24-column grid", p.path("title")).isLessThanOrEqualTo(24);
            for (int[] o : boxes) {
                boolean overlap = b[0] < o[0] + o[2] && o[0] < b[0] + b[2] && b[1] < o[1] + o[3] && o[1] < b[1] + b[3];
                assertThat(overlap).as("panel %s overlaps another", p.path("title")).isFalse();
            }
            boxes.add(b);
        }
    }

    @Test
    void everyRuleIsNamedAndDescribed() throws Exception {
        JsonNode r = new ObjectMapper(new YAMLFactory()).readTree(DEPLOY.resolve("prometheus/driftguard-rules.yaml").toFile());
        for (JsonNode rule : r.path("groups").get(0).path("rules")) {
            assertThat(rule.path("alert").asText()).startsWith("Driftguard");
            assertThat(rule.path("annotations").path("summary").asText()).isNotBlank();
            assertThat(rule.path("annotations").path("description").asText()).isNotBlank();
            assertThat(rule.path("labels").path("severity").asText()).isIn("warning", "critical");
        }
    }
}
