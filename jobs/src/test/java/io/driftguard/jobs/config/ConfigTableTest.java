package io.driftguard.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table is the one {@link ConfigTable} renders from the options. After
 * changing an option, regenerate it with
 * {@code mvn -pl jobs test -Dtest=ConfigTableTest -Ddriftguard.regenerate-readme=true}.
 */
class ConfigTableTest {

    private static final Path README = Path.of(System.getProperty("user.dir")).resolveSibling("README.md");

    @Test
    void theReadmeTableIsTheGeneratedOne() throws Exception {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        String generated = ConfigTable.rewrite(readme);
        if (Boolean.getBoolean("driftguard.regenerate-readme")) {
            Files.writeString(README, generated, StandardCharsets.UTF_8);
            readme = generated;
        }
        assertThat(readme)
                .as("README.md's configuration table differs from the options; regenerate it (see this test's Javadoc)")
                .isEqualTo(generated);
    }

    @Test
    void everyOptionHasOneRowWithTheDefaultTheJobUses() {
        String table = ConfigTable.render();
        Configuration empty = JobConfig.build(Map.of(), Map.of());
        assertThat(ConfigTable.options()).hasSizeGreaterThan(30);
        for (ConfigOption<?> o : ConfigTable.options()) {
            assertThat(table.lines().filter(l -> l.startsWith("| `" + o.key() + "` |"))).as(o.key()).hasSize(1);
            // the default printed is the value an empty configuration yields
            Object effective = empty.get(o);
            assertThat(table).contains("| `" + o.key() + "` | `" + ConfigTable.defaultText(effective) + "` |");
            assertThat(o.description().getBlocks()).as("%s has a description", o.key()).isNotEmpty();
        }
        assertThat(table).contains("| `kafka.properties.<name>` | |");
    }

    @Test
    void defaultsReadAsTheConfigurationFileWritesThem() {
        assertThat(ConfigTable.defaultText(Duration.ofDays(7))).isEqualTo("7d");
        assertThat(ConfigTable.defaultText(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(ConfigTable.defaultText(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(ConfigTable.defaultText(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(ConfigTable.defaultText(2000.0)).isEqualTo("2000");
        assertThat(ConfigTable.defaultText(0.02)).isEqualTo("0.02");
        assertThat(ConfigTable.defaultText(-1.0)).isEqualTo("-1");
        // a file value of 7d parses back to the printed default
        Configuration c = JobConfig.build(Map.of("drift.state.ttl", "7d"), Map.of());
        assertThat(c.get(DriftguardOptions.STATE_TTL)).isEqualTo(Duration.ofDays(7));
    }
}
