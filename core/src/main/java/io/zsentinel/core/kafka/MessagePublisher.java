package io.zsentinel.core.kafka;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Publishes JSON strings keyed by server/aggregate id. Thread-safe (the Kafka producer is). */
public final class MessagePublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MessagePublisher.class);

    private final Producer<String, String> producer;

    public MessagePublisher(Producer<String, String> producer) {
        this.producer = producer;
    }

    public MessagePublisher(Properties producerProperties) {
        this(new KafkaProducer<>(producerProperties));
    }

    public static MessagePublisher create(String bootstrapServers) {
        return new MessagePublisher(KafkaSettings.producer(bootstrapServers));
    }

    /** Hands the Kafka producer to {@code observer}, e.g. a metrics binder that reads its {@code metrics()}. */
    public void observeClient(java.util.function.Consumer<? super Producer<?, ?>> observer) {
        observer.accept(producer);
    }

    /** Completes when the record is acknowledged by all in-sync replicas, exceptionally if it never is. */
    public CompletableFuture<RecordMetadata> publish(String topic, String key, String json) {
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, key, json), (metadata, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            // send() itself throws e.g. when metadata is unavailable for max.block.ms; report it the same way.
            result.completeExceptionally(e);
        }
        return result;
    }

    /** Blocks until acknowledged; throws {@link PublishException} otherwise (caller must not assume it was sent). */
    public RecordMetadata publishAndWait(String topic, String key, String json) {
        try {
            return publish(topic, key, json).get();
        } catch (ExecutionException e) {
            throw new PublishException("publishing to " + topic + " (key " + key + ") failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while publishing to " + topic + " (key " + key + ")", e);
        }
    }

    /** Sends what the producer holds back for batching (linger) and returns once every record sent so far completed. */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        // Bounded, so a dead broker cannot hang shutdown; unsent records fail their futures.
        producer.close(Duration.ofSeconds(10));
        log.debug("publisher closed");
    }
}
