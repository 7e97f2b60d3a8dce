package io.driftguard.jobs.config;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.Formatter;
import org.apache.flink.configuration.description.TextElement;

/**
 * The configuration table of the top-level README, generated from {@link DriftguardOptions}: one
 * row per key, in declaration order, with the option's default and description, so that a
 * default or meaning has one source. {@code main} rewrites the table between its markers in a
 * README file.
 */
public final class ConfigTable {

    static final String START = "<!-- configuration table: generated from DriftguardOptions by ConfigTable -->";
    static final String END = "<!-- end of configuration table -->";

    private ConfigTable() {}

    /** Every public ConfigOption of {@link DriftguardOptions}, in declaration order. */
    public static List<ConfigOption<?>> options() {
        List<ConfigOption<?>> out = new ArrayList<>();
        for (Field f : DriftguardOptions.class.getDeclaredFields()) {
            if (Modifier.isPublic(f.getModifiers()) && Modifier.isStatic(f.getModifiers())
                    && f.getType() == ConfigOption.class) {
                try {
                    out.add((ConfigOption<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }

    /** The markdown table, header included, ending with a line break. */
    public static String render() {
        StringBuilder sb = new StringBuilder("| key | default | meaning |\n| --- | --- | --- |\n");
        for (ConfigOption<?> o : options()) {
            sb.append("| `").append(o.key()).append("` | ")
                    .append(o.hasDefaultValue() ? "`" + defaultText(o.defaultValue()) + "`" : "")
                    .append(" | ").append(new Markdown().format(o.description()).replace("|", "\\|"))
                    .append(" |\n");
            if (o == DriftguardOptions.KAFKA_TRANSACTIONAL_ID_PREFIX) {
                // a prefix rather than an option: any Kafka client setting, next to the Kafka keys
                sb.append("| `").append(DriftguardOptions.KAFKA_PROPERTIES_PREFIX).append("<name>` | | any Kafka client"
                        + " setting (SASL, TLS, ...), passed to every source, sink and admin client; values of names"
                        + " with password, secret, token, key or credential are masked in logs |\n");
            }
        }
        return sb.toString();
    }

    /** A default as the configuration file takes it: durations as {@code 30s}, {@code 7d}. */
    static String defaultText(Object value) {
        if (value instanceof Duration d) {
            long ms = d.toMillis();
            long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
            String[] names = {"d", "h", "m", "s"};
            for (int i = 0; i < units.length; i++) {
                if (ms != 0 && ms % units[i] == 0) {
                    return ms / units[i] + names[i];
                }
            }
            return ms + "ms";
        }
        if (value instanceof Double v && v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString(v.longValue());
        }
        return String.valueOf(value);
    }

    /** {@code readme} with its table replaced by {@link #render()}. */
    public static String rewrite(String readme) {
        int s = readme.indexOf(START);
        int e = readme.indexOf(END);
        if (s < 0 || e < s) {
            throw new IllegalArgumentException("no configuration table markers (" + START + " ... " + END + ")");
        }
        return readme.substring(0, s + START.length()) + "\n" + render() + readme.substring(e);
    }

    /** Rewrites the table of the README file given (default: README.md). */
    public static void main(String[] args) throws IOException {
        Path readme = Path.of(args.length > 0 ? args[0] : "README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        Files.writeString(readme, rewrite(text), StandardCharsets.UTF_8);
    }

    /** Flink's description elements as markdown text (the descriptions are plain text). */
    private static final class Markdown extends Formatter {
        @Override
        protected void formatLink(StringBuilder state, String link, String description) {
            state.append('[').append(description).append("](").append(link).append(')');
        }

        @Override
        protected void formatLineBreak(StringBuilder state) {
            state.append(' ');
        }

        @Override
        protected void formatText(StringBuilder state, String format, String[] elements,
                java.util.EnumSet<TextElement.TextStyle> styles) {
            state.append(String.format(format, (Object[]) elements));
        }

        @Override
        protected void formatList(StringBuilder state, String[] entries) {
            state.append(String.join("; ", entries));
        }

        @Override
        protected Formatter newInstance() {
            return new Markdown();
        }
    }
}
