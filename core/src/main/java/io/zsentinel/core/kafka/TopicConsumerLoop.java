package io.zsentinel.core.kafka;

import io.zsentinel.core.messages.MalformedMessageException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;

/**
 * Polls topics on its own thread and hands every record to a {@link RecordHandler}, at least once.
 * <ul>
 * <li>Offsets are committed only after the whole polled batch was handled.</li>
 * <li>{@link MalformedMessageException}: the record is published to the dead-letter topic (waiting for
 *     the ack) and counts as handled, so one bad message cannot block a partition (DESIGN rule 6).</li>
 * <li>Any other exception is transient: nothing is committed, every partition of the batch is rewound
 *     to its first unhandled record and the batch is retried after an exponential, capped backoff.</li>
 * </ul>
 * Handlers must be idempotent (DESIGN rule 5): retries and rebalances redeliver records.
 */
public final class TopicConsumerLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicConsumerLoop.class);

    private final String name;
    private final Consumer<String, String> consumer;
    private final List<String> topics;
    private final RecordHandler handler;
    private final MessagePublisher deadLetters;
    private final String deadLetterTopic;
    private final RetryBackoff backoff;
    private final Duration pollTimeout;
    private final Clock clock;
    private final Thread thread;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private volatile boolean running = true;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Consecutive handler failures since the last batch that went through; logged once per streak. */
    private int failureStreak;
    /** Consecutive poll failures since the last poll that worked. */
    private int pollFailures;

    private TopicConsumerLoop(Builder b) {
        this.name = b.name;
        this.consumer = new KafkaConsumer<>(b.consumerProperties);
        this.topics = List.copyOf(b.topics);
        this.handler = b.handler;
        this.deadLetters = b.deadLetters;
        this.deadLetterTopic = b.deadLetterTopic;
        this.backoff = b.backoff;
        this.pollTimeout = b.pollTimeout;
        this.clock = b.clock;
        this.thread = new Thread(this::run, name);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** False once closed, or if the thread died of an unexpected error (a health check can watch this). */
    public boolean isRunning() {
        return running && thread.isAlive();
    }

    private void run() {
        try {
            consumer.subscribe(topics);
            log.info("Consumer loop {} subscribed to {}", name, topics);
            while (running) {
                try {
                    ConsumerRecords<String, String> batch = consumer.poll(pollTimeout);
                    if (pollFailures > 0) {
                        log.info("Consumer loop {} polls again after {} failure(s)", name, pollFailures);
                        pollFailures = 0;
                    }
                    if (!batch.isEmpty()) {
                        processBatch(batch);
                    }
                } catch (WakeupException e) {
                    // close() woke us: the while condition ends the loop.
                } catch (InterruptException e) {
                    break;
                } catch (KafkaException e) {
                    // E.g. a timeout while the broker restarts: the client reconnects by itself, so keep going.
                    if (pollFailures++ == 0) {
                        log.warn("Consumer loop {} on {}: poll failed: {} (retrying until it recovers)", name, topics, e.toString());
                    }
                    pause(backoff.delay(pollFailures));
                }
            }
        } catch (RuntimeException | Error e) {
            log.error("Consumer loop {} on {} died", name, topics, e);
        } finally {
            running = false;
            closeConsumer();
        }
    }

    private void processBatch(ConsumerRecords<String, String> batch) {
        // Next offset to handle per partition: starts at the batch's first record, moves past each handled one.
        Map<TopicPartition, Long> next = new LinkedHashMap<>();
        for (TopicPartition tp : batch.partitions()) {
            next.put(tp, batch.records(tp).get(0).offset());
        }
        for (TopicPartition tp : batch.partitions()) {
            for (ConsumerRecord<String, String> record : batch.records(tp)) {
                try {
                    handleOne(record);
                } catch (Exception e) {
                    rewind(next);
                    onTransientFailure(record, e);
                    return;
                }
                next.put(tp, record.offset() + 1);
            }
        }
        commit(next);
        if (failureStreak > 0) {
            log.info("Consumer loop {} recovered after {} failed attempt(s)", name, failureStreak);
            failureStreak = 0;
        }
    }

    private void handleOne(ConsumerRecord<String, String> record) throws Exception {
        try {
            handler.handle(record);
        } catch (Exception e) {
            MalformedMessageException malformed = malformedCause(e);
            if (malformed == null) {
                throw e;
            }
            // If the dead-letter publish fails, it propagates as transient: the record is retried, not lost.
            deadLetters.publishAndWait(deadLetterTopic, record.key(), DeadLetter.toJson(record, malformed.reason(), clock.instant()));
            log.warn("Consumer loop {} dead-lettered {}-{}@{} to {}: {}", name, record.topic(), record.partition(),
                    record.offset(), deadLetterTopic, malformed.reason());
        }
    }

    /** Also found when wrapped (an Axon command gateway wraps handler exceptions). */
    private static MalformedMessageException malformedCause(Throwable e) {
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof MalformedMessageException m) {
                return m;
            }
        }
        return null;
    }

    private void rewind(Map<TopicPartition, Long> next) {
        next.forEach((tp, offset) -> consumer.seek(tp, offset));
    }

    private void onTransientFailure(ConsumerRecord<String, String> record, Exception e) {
        failureStreak++;
        if (failureStreak == 1) {
            log.warn("Consumer loop {} failed on {}-{}@{}; nothing committed, retrying with backoff", name,
                    record.topic(), record.partition(), record.offset(), e);
        } else {
            log.debug("Consumer loop {} failed again ({}) on {}-{}@{}: {}", name, failureStreak,
                    record.topic(), record.partition(), record.offset(), e.toString());
        }
        pause(backoff.delay(failureStreak));
    }

    private void commit(Map<TopicPartition, Long> next) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        next.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset)));
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            // Rebalance or broker gone: the batch will be redelivered, which idempotent handlers tolerate.
            log.warn("Consumer loop {} could not commit {}; those records may be delivered again: {}", name, offsets, e.toString());
        }
    }

    /** Waits, but returns at once when close() is called. */
    private void pause(Duration delay) {
        try {
            stopSignal.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void closeConsumer() {
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.warn("Consumer loop {}: closing the consumer failed", name, e);
        }
        log.info("Consumer loop {} stopped", name);
    }

    /** Stops polling, waits for the thread (the record in hand is finished first) and closes the consumer. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        running = false;
        stopSignal.countDown();
        consumer.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                log.warn("Consumer loop {} did not stop within 30 s (handler stuck?)", name);
            }
        }
    }

    public static final class Builder {
        private final String name;
        private Properties consumerProperties;
        private List<String> topics;
        private RecordHandler handler;
        private MessagePublisher deadLetters;
        private String deadLetterTopic;
        private RetryBackoff backoff = RetryBackoff.DEFAULT;
        private Duration pollTimeout = Duration.ofSeconds(1);
        private Clock clock = Clock.systemUTC();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** E.g. {@link KafkaSettings#consumer(String, String)}; auto commit is forced off. */
        public Builder consumerProperties(Properties properties) {
            this.consumerProperties = new Properties();
            this.consumerProperties.putAll(properties);
            this.consumerProperties.put("enable.auto.commit", "false");
            return this;
        }

        public Builder topics(List<String> topics) {
            this.topics = topics;
            return this;
        }

        public Builder topics(String... topics) {
            return topics(List.of(topics));
        }

        public Builder handler(RecordHandler handler) {
            this.handler = handler;
            return this;
        }

        /** Where malformed records go; the publisher is shared, not closed by the loop. */
        public Builder deadLetter(MessagePublisher publisher, String topic) {
            this.deadLetters = publisher;
            this.deadLetterTopic = topic;
            return this;
        }

        public Builder backoff(RetryBackoff backoff) {
            this.backoff = backoff;
            return this;
        }

        public Builder pollTimeout(Duration pollTimeout) {
            this.pollTimeout = pollTimeout;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public TopicConsumerLoop start() {
            Objects.requireNonNull(consumerProperties, "consumerProperties");
            Objects.requireNonNull(handler, "handler");
            Objects.requireNonNull(deadLetters, "deadLetter publisher");
            Objects.requireNonNull(deadLetterTopic, "deadLetter topic");
            if (topics == null || topics.isEmpty()) {
                throw new IllegalArgumentException("no topics to consume");
            }
            TopicConsumerLoop loop = new TopicConsumerLoop(this);
            loop.thread.start();
            return loop;
        }
    }
}
