package io.zsentinel.core.kafka;

import io.zsentinel.core.messages.MalformedMessageException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Polls topics on its own thread and hands every record to a {@link RecordHandler}, at least once.
 * <ul>
 * <li>Offsets are committed only after the whole polled batch was handled (or, when close() stops it midway,
 *     up to each partition's first record not handled).</li>
 * <li>With {@link Builder#lanes(int) lanes} &gt; 1 the batch is shared among that many threads by record key
 *     ({@link KeyLanes}): one key's records are handled in order on one lane, other keys' beside them.</li>
 * <li>With a {@link Builder#batches(BatchScope, int) batch scope} a lane hands its records to the handler up to
 *     that many at a time inside one scope (e.g. one transaction). A batch that fails is undone as a whole and its
 *     records are handled again one at a time, each with the outcome below; while the loop retries after a
 *     failure, records go one at a time.</li>
 * <li>{@link MalformedMessageException}: the record is published to the dead-letter topic (waiting for
 *     the ack) and counts as handled, so one bad message cannot block a partition (DESIGN rule 6). The
 *     dead letter always fits the broker's limit ({@link DeadLetter}).</li>
 * <li>Any other exception: nothing is committed, every partition of the batch is rewound to its first
 *     unhandled record and the batch is retried after an exponential, capped backoff. While the store or
 *     the broker is down (the outage probe says so; without one, the exception's causes do) it is retried
 *     for as long as the outage lasts, and {@link #status()} shows the outage. Otherwise the record gets
 *     {@code maxAttempts} attempts, then it is dead-lettered with the last error as the reason.</li>
 * </ul>
 * Handlers must be idempotent (DESIGN rule 5): retries and rebalances redeliver records.
 */
public final class TopicConsumerLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicConsumerLoop.class);
    /** With the default backoff, about half a minute of attempts before a record that keeps failing is dead-lettered. */
    public static final int DEFAULT_MAX_ATTEMPTS = 10;

    private final String name;
    private final Consumer<byte[], byte[]> consumer;
    private final List<String> topics;
    private final RecordHandler handler;
    private final MessagePublisher deadLetters;
    private final String deadLetterTopic;
    private final RetryBackoff backoff;
    private final Duration pollTimeout;
    private final Clock clock;
    private final int maxAttempts;
    private final Supplier<Optional<String>> outageProbe;
    private final int lanes;
    /** Null: every record on its own. */
    private final BatchScope batchScope;
    private final int batchSize;
    /** Lane batches that failed as a whole and were handled again one record at a time. */
    private final AtomicLong batchesSplit = new AtomicLong();
    /** Runs the lanes of a batch when there are several; null with one lane (the loop's thread handles it). */
    private final ExecutorService laneThreads;
    private final Thread thread;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private volatile boolean running = true;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Consecutive handler failures since the last batch that went through; logged once per streak. */
    private int failureStreak;
    /** Consecutive poll failures since the last poll that worked. */
    private int pollFailures;
    /** The record that failed last ({@code topic-partition@offset}) and its failed attempts outside outages. */
    private String failingRecord;
    private int failingAttempts;
    private String failingError;
    /** When the current outage began (null: none); logged once when it begins and once when it ends. */
    private Instant outageSince;
    // Read by status() from other threads.
    private volatile int assignedPartitions;
    private volatile Instant lastProgressAt;
    private volatile Long lag;
    private volatile boolean caughtUp;
    private volatile int consecutiveFailures;
    private final AtomicLong deadLettered = new AtomicLong();
    private volatile String outage;
    private volatile String failing;

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
        this.maxAttempts = b.maxAttempts;
        this.outageProbe = b.outageProbe;
        this.lanes = b.lanes;
        this.batchScope = b.batchScope;
        this.batchSize = b.batchSize;
        this.laneThreads = lanes == 1 ? null : Executors.newFixedThreadPool(lanes, laneThreadFactory(name));
        this.thread = new Thread(this::run, name);
    }

    private static java.util.concurrent.ThreadFactory laneThreadFactory(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, name + "-lane-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
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

    /** Lane batches undone as a whole and handled again one record at a time (see {@link Builder#batches}). */
    public long batchesSplit() {
        return batchesSplit.get();
    }

    /** A consistent-enough picture for health and metrics; each field is current, together they may be a moment apart. */
    public ConsumerLoopStatus status() {
        return new ConsumerLoopStatus(name, isRunning(), assignedPartitions, lastProgressAt, lag, caughtUp,
                consecutiveFailures, deadLettered.get(), outage, failing);
    }

    /**
     * Hands the loop's Kafka consumer to {@code observer}, e.g. a metrics binder that only reads its
     * {@code metrics()}; the consumer belongs to the loop's thread: never poll, seek or commit on it.
     */
    public void observeClient(java.util.function.Consumer<? super Consumer<?, ?>> observer) {
        observer.accept(consumer);
    }

    private void run() {
        try {
            consumer.subscribe(topics, new Assignment());
            log.info("Consumer loop {} subscribed to {}", name, topics);
            while (running) {
                try {
                    ConsumerRecords<byte[], byte[]> batch = consumer.poll(pollTimeout);
                    progressed();
                    assignedPartitions = consumer.assignment().size();
                    if (pollFailures > 0) {
                        log.info("Consumer loop {} polls again after {} failure(s)", name, pollFailures);
                        pollFailures = 0;
                    }
                    if (batch.isEmpty() || processBatch(batch)) {
                        measureLag();
                    }
                } catch (WakeupException e) {
                    // close() woke us: the while condition ends the loop.
                } catch (InterruptException e) {
                    break;
                } catch (FencedInstanceIdException e) {
                    // a newer instance with the same static identity took the group: this one must not consume on
                    log.error("Consumer loop {} on {} stops: another instance with its identity took over ({})", name,
                            topics, e.getMessage());
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
            if (laneThreads != null) {
                laneThreads.shutdown();
            }
            closeConsumer();
        }
    }

    /**
     * True when the whole batch was handled (and its offsets committed); false when it was rewound, or cut short
     * by close() (then what was handled in order is committed). With several lanes, each key's records are handled
     * in order on one lane while the lanes run side by side; a failed lane stops at its failing record.
     */
    private boolean processBatch(ConsumerRecords<byte[], byte[]> batch) {
        List<List<ConsumerRecord<byte[], byte[]>>> split = KeyLanes.split(batch, lanes);
        List<LaneResult> results;
        if (split.size() == 1) {
            results = List.of(runLane(split.get(0)));
        } else {
            List<CompletableFuture<LaneResult>> running = split.stream()
                    .map(lane -> CompletableFuture.supplyAsync(() -> runLane(lane), laneThreads))
                    .toList();
            results = running.stream().map(CompletableFuture::join).toList();
        }
        Set<ConsumerRecord<byte[], byte[]>> handled = Collections.newSetFromMap(new IdentityHashMap<>());
        LaneResult failed = null;
        for (LaneResult result : results) {
            handled.addAll(result.handled());
            if (result.error() != null && (failed == null || BATCH_ORDER.compare(result.failed(), failed.failed()) < 0)) {
                failed = result;
            }
        }
        Map<TopicPartition, Long> next = KeyLanes.resumeAt(batch, handled);
        if (failed != null) {
            rewind(next);
            onFailure(failed.failed(), failed.error());
            return false;
        }
        commit(next);
        if (!KeyLanes.all(batch, handled)) {
            return false; // close() stopped the lanes: the rest is delivered again to the next start
        }
        synchronized (this) {
            if (endOutage(where(batch.iterator().next()))) {
                failureStreak = 0; // the end of the outage is logged: no "recovered after" line as well
            } else if (failureStreak > 0) {
                log.info("Consumer loop {} recovered after {} failed attempt(s)", name, failureStreak);
                failureStreak = 0;
            }
        }
        consecutiveFailures = 0;
        failing = null;
        return true;
    }

    /** Which failure of a batch counts (the others are retried with it): the first in partition, then offset order. */
    private static final Comparator<ConsumerRecord<String, String>> BATCH_ORDER =
            Comparator.<ConsumerRecord<String, String>, String>comparing(ConsumerRecord::topic)
                    .thenComparingInt(ConsumerRecord::partition)
                    .thenComparingLong(ConsumerRecord::offset);

    /** What one lane did: the records it handled, in order, and the record it stopped at with the error (null: none). */
    private record LaneResult(List<ConsumerRecord<byte[], byte[]>> handled, ConsumerRecord<String, String> failed,
                              Exception error) {
    }

    /** Handles the lane's records in order; stops at the first failure, or when close() was called. */
    private LaneResult runLane(List<ConsumerRecord<byte[], byte[]>> lane) {
        List<ConsumerRecord<byte[], byte[]>> handled = new ArrayList<>(lane.size());
        boolean batched = batchScope != null && !retrying();
        for (int from = 0; from < lane.size(); from += batched ? batchSize : lane.size()) {
            List<ConsumerRecord<byte[], byte[]>> part = lane.subList(from, Math.min(lane.size(),
                    from + (batched ? batchSize : lane.size())));
            if (!running) {
                break;
            }
            if (part.size() > 1 && batched && inOneBatch(part)) {
                handled.addAll(part);
                progressed();
                continue;
            }
            LaneResult one = oneByOne(part, handled);
            if (one != null) {
                return one;
            }
        }
        return new LaneResult(handled, null, null);
    }

    /** True while the loop retries after a failure (then records go one at a time, as without batches). */
    private synchronized boolean retrying() {
        return failureStreak > 0 || failingRecord != null;
    }

    /** True when the whole part was handled and kept in one scope; false when it was undone (nothing of it kept). */
    private boolean inOneBatch(List<ConsumerRecord<byte[], byte[]>> part) {
        List<ConsumerRecord<String, String>> records = part.stream().map(TopicConsumerLoop::decoded).toList();
        try {
            batchScope.inOne(records, () -> {
                for (ConsumerRecord<String, String> record : records) {
                    try {
                        handler.handle(record);
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new BatchFailed(e);
                    }
                }
            });
            return true;
        } catch (Exception e) {
            batchesSplit.incrementAndGet();
            log.debug("Consumer loop {}: a batch of {} records from {} failed as a whole ({}); handling them one at a time",
                    name, part.size(), where(part.get(0)), e.toString());
            return false;
        }
    }

    /** A checked exception of the handler, carried out of a batch (which is then handled again record by record). */
    private static final class BatchFailed extends RuntimeException {
        BatchFailed(Exception cause) {
            super(cause);
        }
    }

    /** Adds the records handled to {@code handled}; the lane's result when one failed or close() was called. */
    private LaneResult oneByOne(List<ConsumerRecord<byte[], byte[]>> part, List<ConsumerRecord<byte[], byte[]>> handled) {
        for (ConsumerRecord<byte[], byte[]> raw : part) {
            if (!running) {
                return new LaneResult(handled, null, null);
            }
            ConsumerRecord<String, String> record = decoded(raw);
            try {
                handleOne(record, raw.value());
            } catch (Exception e) {
                return new LaneResult(handled, record, e);
            }
            handled.add(raw);
            progressed();
        }
        return null;
    }

    /** Handles the record, or dead-letters it: malformed, or failed {@code maxAttempts} times outside an outage. */
    private void handleOne(ConsumerRecord<String, String> record, byte[] rawValue) throws Exception {
        String where = where(record);
        String exhausted = null;
        synchronized (this) {
            if (where.equals(failingRecord) && failingAttempts >= maxAttempts) {
                exhausted = "failed " + failingAttempts + " times; last error: " + failingError;
            }
        }
        if (exhausted != null) {
            deadLetter(record, rawValue, exhausted);
            synchronized (this) {
                failingRecord = null;
                failingAttempts = 0;
            }
            return;
        }
        try {
            handler.handle(record);
        } catch (Exception e) {
            MalformedMessageException malformed = malformedCause(e);
            if (malformed == null) {
                throw e;
            }
            deadLetter(record, rawValue, malformed.reason());
        }
        synchronized (this) {
            if (where.equals(failingRecord)) {
                failingRecord = null;
                failingAttempts = 0;
            }
        }
    }

    /** If the publish fails, it propagates as an outage of the broker: the record is retried, not lost. */
    private void deadLetter(ConsumerRecord<String, String> record, byte[] rawValue, String reason) {
        try {
            deadLetters.publishAndWait(deadLetterTopic, DeadLetter.key(record),
                    DeadLetter.toJson(record, rawValue, reason, clock.instant()));
        } catch (RuntimeException e) {
            throw new DeadLetterFailed(e);
        }
        deadLettered.incrementAndGet();
        log.warn("Consumer loop {} dead-lettered {} ({} bytes) to {}: {}", name, where(record),
                rawValue == null ? 0 : rawValue.length, deadLetterTopic, reason);
    }

    /** The dead-letter topic cannot be written: the record must stay where it is until it can. */
    private static final class DeadLetterFailed extends RuntimeException {
        DeadLetterFailed(RuntimeException cause) {
            super("cannot write the dead-letter topic: " + cause.getMessage(), cause);
        }
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** The loop reads bytes (so a dead letter can carry the original's size and digest) and hands on text. */
    private static ConsumerRecord<String, String> decoded(ConsumerRecord<byte[], byte[]> r) {
        return new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
                r.serializedKeySize(), r.serializedValueSize(), text(r.key()), text(r.value()), r.headers(),
                r.leaderEpoch());
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
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

    /** Nothing was committed: an outage waits, any other failure counts as one of the record's attempts. */
    private void onFailure(ConsumerRecord<String, String> record, Exception e) {
        synchronized (this) {
            countFailure(record, e);
        }
        pause(backoff.delay(consecutiveFailures));
    }

    private void countFailure(ConsumerRecord<String, String> record, Exception e) {
        failureStreak++;
        consecutiveFailures = failureStreak;
        Optional<String> down = e instanceof DeadLetterFailed
                ? Optional.of("the broker (" + rootMessage(e) + ")")
                : outageBehind(e);
        if (down.isPresent()) {
            if (outageSince == null) {
                outageSince = clock.instant();
                log.warn("Consumer loop {} waits for {}: holding {} and retrying until it answers ({})", name,
                        down.get(), where(record), rootMessage(e));
            } else {
                log.debug("Consumer loop {}: still waiting ({}) at {}: {}", name, failureStreak, where(record), e.toString());
            }
            outage = down.get();
        } else {
            endOutage(where(record));
            String where = where(record);
            if (!where.equals(failingRecord)) {
                failingRecord = where;
                failingAttempts = 0;
            }
            failingAttempts++;
            failingError = e.toString();
            failing = where + " (attempt " + failingAttempts + " of " + maxAttempts + "): " + failingError;
            if (failingAttempts == 1) {
                log.warn("Consumer loop {} failed on {}; nothing committed, retrying up to {} times with backoff",
                        name, where, maxAttempts, e);
            } else {
                log.debug("Consumer loop {} failed again ({} of {}) on {}: {}", name, failingAttempts, maxAttempts,
                        where, e.toString());
            }
        }
    }

    /** The outage behind a failure: the probe's answer, or without a probe a retriable cause. */
    private Optional<String> outageBehind(Exception e) {
        if (outageProbe != null) {
            try {
                return outageProbe.get();
            } catch (RuntimeException probeFailed) {
                return Optional.of("a dependency (the outage probe failed: " + probeFailed + ")");
            }
        }
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SQLException) {
                return Optional.of("the store (" + t.getMessage() + ")");
            }
            if (t instanceof RetriableException || t instanceof PublishException) {
                return Optional.of("the broker (" + t.getMessage() + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * True when an outage ended (and was logged): a whole batch went through, or a failure that is no outage came.
     * Not at a single record: with several lanes, a record that needs no store can pass while another lane waits.
     * Called with the loop's lock held.
     */
    private boolean endOutage(String at) {
        if (outageSince == null) {
            return false;
        }
        log.info("Consumer loop {} no longer waits for {}: it answered after {} s; carrying on at {}", name, outage,
                Duration.between(outageSince, clock.instant()).toSeconds(), at);
        outageSince = null;
        outage = null;
        return true;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }

    private void progressed() {
        lastProgressAt = clock.instant();
    }

    /** After a handled batch or an empty poll: how far behind the partitions' ends the loop is. */
    private void measureLag() {
        long total = 0;
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong partitionLag = consumer.currentLag(tp);
            if (partitionLag.isEmpty()) {
                lag = null;
                return;
            }
            total += partitionLag.getAsLong();
        }
        lag = total;
        if (total == 0 && assignedPartitions > 0) {
            caughtUp = true;
        }
    }

    /** A new assignment means new partitions to catch up on (e.g. after a restart, with a backlog). */
    private final class Assignment implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                caughtUp = false;
                lag = null;
            }
            assignedPartitions = consumer.assignment().size();
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            assignedPartitions = Math.max(0, consumer.assignment().size() - partitions.size());
        }
    }

    private void commit(Map<TopicPartition, Long> next) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        next.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset)));
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException | FencedInstanceIdException e) {
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
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Supplier<Optional<String>> outageProbe;
        private int lanes = 1;
        private BatchScope batchScope;
        private int batchSize = 1;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** E.g. {@link KafkaSettings#consumer(String, String)}; auto commit is forced off. */
        public Builder consumerProperties(Properties properties) {
            this.consumerProperties = new Properties();
            this.consumerProperties.putAll(properties);
            this.consumerProperties.put("enable.auto.commit", "false");
            // Bytes in, text out (see decoded): a dead letter carries the original's exact size and digest.
            this.consumerProperties.put("key.deserializer", ByteArrayDeserializer.class.getName());
            this.consumerProperties.put("value.deserializer", ByteArrayDeserializer.class.getName());
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

        /** Attempts a record gets outside an outage before it is dead-lettered (default {@value #DEFAULT_MAX_ATTEMPTS}). */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("a record needs at least 1 attempt, not " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * Asked after a failure: what is down (e.g. "the store (connection refused)"), empty when all is
         * reachable. While it answers, the record is retried without counting attempts. Without a probe
         * a SQLException or a retriable Kafka error among the causes counts as an outage.
         */
        public Builder outageProbe(Supplier<Optional<String>> probe) {
            this.outageProbe = probe;
            return this;
        }

        /**
         * Threads that handle a polled batch side by side (default 1: the loop's own thread). Every record of one
         * key goes to the same lane, in order; the handler must be safe to call from several threads at once.
         */
        public Builder lanes(int lanes) {
            if (lanes < 1 || lanes > 64) {
                throw new IllegalArgumentException("lanes must be 1 to 64, not " + lanes);
            }
            this.lanes = lanes;
            return this;
        }

        /**
         * Each lane hands up to {@code size} records at a time to the handler inside one {@code scope} (e.g. one
         * transaction for all of them); a batch that fails is undone and its records handled again one at a time.
         * The handler must then leave nothing behind that the scope's undoing does not undo, or only what
         * handling a record again tolerates anyway (handlers are idempotent).
         */
        public Builder batches(BatchScope scope, int size) {
            if (size < 1 || size > 10_000) {
                throw new IllegalArgumentException("a batch holds 1 to 10,000 records, not " + size);
            }
            this.batchScope = Objects.requireNonNull(scope, "scope");
            this.batchSize = size;
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
