package io.driftguard.jobs.runtime;

import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A local single-node KRaft broker for the lifetime of a test class:
 * {@code @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();}.
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback {

    private LocalKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        kafka = LocalKafka.start(null);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    /** The running broker. */
    public LocalKafka get() {
        if (kafka == null) {
            throw new IllegalStateException("the broker runs only while the test class does");
        }
        return kafka;
    }

    public String bootstrapServers() {
        return get().bootstrapServers();
    }

    /** Creates topics of {@code partitions} partitions each. */
    public void createTopics(int partitions, String... topics) throws Exception {
        get().createTopics(partitions, topics);
    }

    /** Creates topics with topic-level settings, such as {@code cleanup.policy=compact}. */
    public void createTopics(int partitions, Map<String, String> config, String... topics) throws Exception {
        LocalKafka.createTopics(bootstrapServers(), partitions, config, topics);
    }
}
