package io.zsentinel.core.kafka;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Properties;

/**
 * Client settings zsentinel relies on (DESIGN rule 5). Callers may add to the returned
 * properties but should not weaken acks, idempotence or manual commits.
 */
public final class KafkaSettings {

    private KafkaSettings() {
    }

    /** String key (server/aggregate id) and String value (a JSON envelope); durable, no duplicates on retry. */
    public static Properties producer(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // One request in flight per broker: with more, a retried first batch to a freshly created or
        // newly led partition can be rejected forever as out of order and silently dropped after
        // delivery.timeout.ms (KAFKA-15591, seen here with 4.3.1). Our control-plane rates allow it.
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        // A little batching without making publishAndWait noticeably slower.
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return p;
    }

    /**
     * As {@link #producer(String)} for a caller that sends a whole batch, flushes and then waits for every
     * ack (the domain-event publisher): larger batches and a longer linger, so a batch of events goes out
     * in a few large requests. Still one request in flight: with five, the in-process broker rejected a
     * retried first batch as out of order (KAFKA-15591) in the benchmark, and the publisher stalled for the
     * delivery timeout before sending its batch again (docs/benchmarks.md, issue 10).
     */
    public static Properties batchingProducer(String bootstrapServers) {
        Properties p = producer(bootstrapServers);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "50");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(1024 * 1024));
        // A batch stuck on one record is given up (and sent again) after 30 s rather than the default 2 min.
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        return p;
    }

    /** Offsets are committed by the loop only after handling (at-least-once); a new group reads from the start. */
    public static Properties consumer(String bootstrapServers, String groupId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // The controller may later publish transactionally (epoch fencing): never read aborted records.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }

    /**
     * As {@link #consumer(String, String)} for the one member a group has (the controller, a server's agent),
     * with a static identity ({@code group.instance.id}): a member restarted after {@code kill -9} takes its
     * partitions back at once instead of waiting out the dead member's session (45 s). A second live
     * instance with the same identity fences the first (Kafka refuses the older one).
     */
    public static Properties soleConsumer(String bootstrapServers, String groupId) {
        Properties p = consumer(bootstrapServers, groupId);
        p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupId + ".sole");
        return p;
    }

    public static Properties admin(String bootstrapServers) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }
}
