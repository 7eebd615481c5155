package io.zsentinel.core.kafka;

import io.zsentinel.deploy.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * One in-process broker per test JVM, started on first use and stopped by a shutdown hook, so every
 * test class (also in other modules, via core's test-jar) pays the ~start-up cost once. Tests must not
 * stop or restart it: start a private {@link EmbeddedKafkaBroker} for fault injection instead.
 */
public final class KafkaTestBroker {

    private static EmbeddedKafkaBroker shared;

    private KafkaTestBroker() {
    }

    public static synchronized EmbeddedKafkaBroker shared() {
        if (shared == null) {
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startDefault();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-test-broker-shutdown"));
            shared = broker;
        }
        return shared;
    }

    public static String bootstrapServers() {
        return shared().bootstrapServers();
    }

    /** A cell of its own per test (unique prefix), with all its topics created. */
    public static Topics freshTopics(String testName, int partitions) {
        String safe = testName.replaceAll("[^a-zA-Z0-9._-]", "-");
        Topics topics = new Topics(safe + "-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        try (Admin admin = Admin.create(KafkaSettings.admin(bootstrapServers()))) {
            topics.createAll(admin, partitions, (short) 1);
        }
        return topics;
    }

    /**
     * Reads a topic from the beginning without a consumer group (nothing committed) until {@code count}
     * records arrived or the timeout passed; returns what was read.
     */
    public static List<ConsumerRecord<String, String>> readFromStart(String bootstrapServers, String topic,
                                                                     int count, Duration timeout) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
