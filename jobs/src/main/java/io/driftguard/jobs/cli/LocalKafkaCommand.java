package io.driftguard.jobs.cli;

import io.driftguard.jobs.runtime.Directories;
import io.driftguard.jobs.runtime.LocalKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs a local single-node KRaft broker in the foreground until interrupted. */
@Command(
        name = "kafka-local",
        mixinStandardHelpOptions = true,
        description = {
            "Run a local single-node KRaft Kafka broker on a free local port until stopped (Ctrl-C / TERM).",
            "Prints 'bootstrap.servers=HOST:PORT' when ready. deploy/kafka-local.sh wraps this."
        })
final class LocalKafkaCommand implements Callable<Integer> {

    @Option(names = "--dir", description = "Directory for the broker's data, emptied on start (default: a temporary one).")
    Path dir;

    @Option(
            names = "--topics",
            split = ",",
            description = "Topics to create (default: the driftguard.* topics).")
    String[] topics = {
        "driftguard.input", "driftguard.drift", "driftguard.dlq", "driftguard.adapt",
        "driftguard.models", "driftguard.predictions"
    };

    @Option(names = "--partitions", description = "Partitions per created topic (default: ${DEFAULT-VALUE}).")
    int partitions = 4;

    @Override
    public Integer call() throws Exception {
        if (dir != null) {
            // the broker is formatted afresh on every start: a development broker keeps no data
            // across restarts
            Directories.empty(dir);
            Files.createDirectories(dir);
        }
        LocalKafka kafka = LocalKafka.start(dir);
        kafka.createTopics(partitions, topics);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        kafka.close();
                                    } catch (Exception e) {
                                        // the process is exiting; nothing else to do
                                    }
                                    stop.countDown();
                                }));
        System.out.println("bootstrap.servers=" + kafka.bootstrapServers());
        System.out.flush();
        stop.await();
        return 0;
    }
}
