package io.driftguard.jobs.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.jobs.cli.DriftguardCli;
import io.driftguard.jobs.config.DriftguardOptions;
import io.driftguard.jobs.config.JobConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * deploy/compose/ holds together without a Docker engine: every mounted file exists, the job's
 * configuration is valid and names the broker's advertised listener, every topic it uses is
 * created, Prometheus scrapes the port the Flink reporter listens on and loads the shipped rules,
 * Grafana finds Prometheus and the shipped dashboard, each driftguard container's command line
 * is a valid driftguard command, and every published port binds to 127.0.0.1.
 */
class ComposeStackTest {

    private static final Path DEPLOY = Path.of(System.getProperty("user.dir")).resolveSibling("deploy");
    private static final Path COMPOSE = DEPLOY.resolve("compose");

    private static Map<String, Object> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void read() throws Exception {
        Map<String, Object> root = new Yaml().load(Files.readString(COMPOSE.resolve("docker-compose.yml")));
        services = (Map<String, Object>) root.get("services");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) {
        Map<String, Object> s = (Map<String, Object>) services.get(name);
        assertThat(s).as("service %s", name).isNotNull();
        return s;
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> s, String key) {
        Object v = s.get(key);
        return v == null ? List.of() : new ArrayList<>((List<String>) v);
    }

    @Test
    void theStackHasKafkaFlinkPrometheusGrafanaAndDriftguard() {
        assertThat(services).containsKeys("kafka", "kafka-init", "jobmanager", "taskmanager", "producer", "dashboard",
                "prometheus", "grafana");
    }

    @Test
    void everyMountedHostFileAndTheBuildExist() {
        for (String name : services.keySet()) {
            for (String v : list(service(name), "volumes")) {
                String host = v.split(":")[0];
                if (host.startsWith(".")) {
                    assertThat(COMPOSE.resolve(host).normalize()).as("%s mounts %s", name, host).exists();
                }
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> build = (Map<String, Object>) service("jobmanager").get("build");
        Path context = COMPOSE.resolve((String) build.get("context")).normalize();
        assertThat(context.resolve((String) build.get("dockerfile"))).isRegularFile();
        assertThat(context.resolve("pom.xml")).isRegularFile();
    }

    @Test
    void theJarSitsWhereTheContainersStartIt() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> build = (Map<String, Object>) service("jobmanager").get("build");
        @SuppressWarnings("unchecked")
        String dir = ((Map<String, String>) build.get("args")).get("JAR_DIR");
        String dockerfile = Files.readString(COMPOSE.resolve((String) build.get("context")).normalize()
                .resolve((String) build.get("dockerfile")));
        assertThat(dockerfile).contains("ARG JAR_DIR").contains("${JAR_DIR}/driftguard.jar");
        for (String name : List.of("producer", "dashboard")) {
            assertThat(list(service(name), "entrypoint")).as(name).contains(dir + "/driftguard.jar");
        }
    }

    @Test
    void theJobsConfigurationIsValidAndItsTopicsAreCreated() throws Exception {
        Map<String, String> values = JobConfig.readYaml(COMPOSE.resolve("driftguard.yaml"));
        Configuration conf = JobConfig.build(values, Map.of());
        JobConfig.driftSettings(conf);
        assertThat(JobConfig.modelSettings(conf)).isNotNull();

        // the job's bootstrap address is the broker's advertised listener inside the network
        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) service("kafka").get("environment");
        String servers = conf.get(DriftguardOptions.KAFKA_BOOTSTRAP_SERVERS);
        assertThat(String.valueOf(env.get("KAFKA_ADVERTISED_LISTENERS"))).contains("://" + servers);
        assertThat(services).containsKey(servers.split(":")[0]);

        String init = String.join("\n", list(service("kafka-init"), "command"));
        Set<String> created = new LinkedHashSet<>();
        Matcher loop = Pattern.compile("for t in ([^;]+);").matcher(init);
        assertThat(loop.find()).isTrue();
        created.addAll(List.of(loop.group(1).trim().split("\\s+")));
        Matcher single = Pattern.compile("--topic (driftguard\\.[a-z]+)").matcher(init);
        while (single.find()) {
            created.add(single.group(1));
        }
        for (var topic : List.of(DriftguardOptions.KAFKA_INPUT_TOPIC, DriftguardOptions.KAFKA_DRIFT_TOPIC,
                DriftguardOptions.KAFKA_DLQ_TOPIC, DriftguardOptions.KAFKA_PREDICTIONS_TOPIC,
                DriftguardOptions.KAFKA_MODELS_TOPIC)) {
            assertThat(created).as(topic.key()).contains(conf.get(topic));
        }
        // model versions live in a compacted topic, so that a restart can read every version back
        assertThat(init).containsPattern("--topic " + Pattern.quote(conf.get(DriftguardOptions.KAFKA_MODELS_TOPIC))
                + "[^\\n]*\\n?[^\\n]*cleanup.policy=compact");
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesTheFlinkReporterAndLoadsTheShippedRules() throws Exception {
        Map<String, Object> flink = new Yaml().load(String.valueOf(
                ((Map<String, Object>) service("jobmanager").get("environment")).get("FLINK_PROPERTIES")));
        String port = String.valueOf(flink.get("metrics.reporter.prom.port"));
        assertThat(String.valueOf(flink.get("metrics.reporter.prom.factory.class"))).endsWith("PrometheusReporterFactory");
        assertThat(((Map<String, Object>) service("taskmanager").get("environment")).get("FLINK_PROPERTIES"))
                .isEqualTo(((Map<String, Object>) service("jobmanager").get("environment")).get("FLINK_PROPERTIES"));

        Map<String, Object> prom = new Yaml().load(Files.readString(COMPOSE.resolve("prometheus.yml")));
        List<String> targets = new ArrayList<>();
        for (Map<String, Object> job : (List<Map<String, Object>>) prom.get("scrape_configs")) {
            for (Map<String, Object> sc : (List<Map<String, Object>>) job.get("static_configs")) {
                targets.addAll((List<String>) sc.get("targets"));
            }
        }
        assertThat(targets).containsExactlyInAnyOrder("jobmanager:" + port, "taskmanager:" + port);

        List<String> rules = (List<String>) prom.get("rule_files");
        String rulesMount = list(service("prometheus"), "volumes").stream()
                .filter(v -> v.startsWith("../prometheus/driftguard-rules.yaml:")).findFirst().orElseThrow();
        assertThat(rules).containsExactly(rulesMount.split(":")[1]);
    }

    @Test
    @SuppressWarnings("unchecked")
    void grafanaFindsPrometheusAndTheShippedDashboard() throws Exception {
        Map<String, Object> ds = new Yaml().load(Files.readString(COMPOSE.resolve("grafana/datasources/prometheus.yaml")));
        Map<String, Object> source = ((List<Map<String, Object>>) ds.get("datasources")).get(0);
        assertThat(source.get("type")).isEqualTo("prometheus");
        assertThat(source.get("url")).isEqualTo("http://prometheus:9090");

        Map<String, Object> dash = new Yaml().load(Files.readString(COMPOSE.resolve("grafana/dashboards/driftguard.yaml")));
        String path = String.valueOf(((Map<String, Object>) ((List<Map<String, Object>>) dash.get("providers")).get(0)
                .get("options")).get("path"));
        String mount = list(service("grafana"), "volumes").stream()
                .filter(v -> v.startsWith("../grafana/driftguard-dashboard.json:")).findFirst().orElseThrow();
        assertThat(mount.split(":")[1]).isEqualTo(path + "/driftguard-dashboard.json");
    }

    @Test
    void everyDriftguardCommandLineParses() {
        List<String> job = List.of(String.valueOf(service("jobmanager").get("command")).trim().split("\\s+"));
        assertThat(job.subList(0, 3)).containsExactly("standalone-job", "--job-classname", DriftguardCli.class.getName());
        assertParses(job.subList(3, job.size()));
        assertParses(list(service("producer"), "command"));
        assertParses(list(service("dashboard"), "command"));
    }

    private static void assertParses(List<String> args) {
        CommandLine cli = new CommandLine(new DriftguardCli());
        // parsing only: picocli rejects an unknown subcommand or option, or a missing required one
        CommandLine.ParseResult r = cli.parseArgs(args.toArray(String[]::new));
        assertThat(r.hasSubcommand()).as("%s", args).isTrue();
        assertThat(r.subcommand().commandSpec().name()).isEqualTo(args.get(0));
    }

    @Test
    void everyPublishedPortBindsToLoopback() {
        int published = 0;
        for (String name : services.keySet()) {
            for (String p : list(service(name), "ports")) {
                assertThat(p).as("%s publishes %s", name, p).startsWith("127.0.0.1:");
                published++;
            }
        }
        assertThat(published).isGreaterThanOrEqualTo(5);
    }
}
