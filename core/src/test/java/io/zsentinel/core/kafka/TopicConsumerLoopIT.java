package io.zsentinel.core.kafka;

import io.zsentinel.core.messages.MalformedMessageException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TopicConsumerLoopIT {

    private static final RetryBackoff FAST = new RetryBackoff(Duration.ofMillis(1), Duration.ofMillis(10));
    private static String bootstrap;
    private static MessagePublisher publisher;
    private final List<TopicConsumerLoop> loops = new ArrayList<>();

    @BeforeAll
    static void startBroker() {
        bootstrap = KafkaTestBroker.bootstrapServers();
        publisher = MessagePublisher.create(bootstrap);
    }

    @AfterAll
    static void closePublisher() {
        publisher.close();
    }

    @AfterEach
    void closeLoops() {
        loops.forEach(TopicConsumerLoop::close);
    }

    private TopicConsumerLoop loop(Topics topics, String group, RecordHandler handler) {
        return start(builder(topics, group, handler));
    }

    private TopicConsumerLoop.Builder builder(Topics topics, String group, RecordHandler handler) {
        Properties props = KafkaSettings.consumer(bootstrap, topics.groupId(group));
        // After a rewind the consumer first waits for its outstanding long-poll fetch (500 ms by default).
        props.put("fetch.max.wait.ms", "50");
        return TopicConsumerLoop.builder("test-" + group)
                .consumerProperties(props)
                .topics(topics.agentEvents())
                .handler(handler)
                .deadLetter(publisher, topics.deadLetter())
                .backoff(FAST);
    }

    private TopicConsumerLoop start(TopicConsumerLoop.Builder builder) {
        TopicConsumerLoop loop = builder.start();
        loops.add(loop);
        return loop;
    }

    @Test
    void roundTripKeepsPerKeyOrder(TestInfo info) {
        Topics topics = KafkaTestBroker.freshTopics(info.getDisplayName(), 3);
        int n = 200;
        for (int i = 0; i < n; i++) {
            publisher.publish(topics.agentEvents(), "server-" + (i % 5), Integer.toString(i));
        }
        Map<String, Queue<Integer>> byKey = new ConcurrentHashMap<>();
        AtomicInteger total = new AtomicInteger();
        loop(topics, "roundtrip", r -> {
            byKey.computeIfAbsent(r.key(), k -> new ConcurrentLinkedQueue<>()).add(Integer.parseInt(r.value()));
            total.incrementAndGet();
        });

        await().atMost(Duration.ofSeconds(120)).until(() -> total.get() >= n);
        assertEquals(n, total.get());
        byKey.forEach((key, values) -> {
            List<Integer> list = new ArrayList<>(values);
            List<Integer> sorted = new ArrayList<>(list);
            sorted.sort(null);
            assertEquals(sorted, list, "order of " + key);
        });
    }

    /**
     * Issue 10, ordering under parallel ingestion: servers in a shuffled order, each server's records in order,
     * some failing once. With 4 lanes a record is only ever handled after every earlier record of its server.
     */
    @Test
    void withLanesEachServersRecordsAreHandledInOrderWhateverTheServersOrder(TestInfo info) {
        Topics topics = KafkaTestBroker.freshTopics(info.getDisplayName(), 3);
        java.util.Random random = new java.util.Random(10);
        Map<String, Integer> toSend = new java.util.LinkedHashMap<>();
        for (int s = 0; s < 24; s++) {
            toSend.put("server-" + s, 5 + random.nextInt(20));
        }
        Map<String, Integer> sent = new java.util.HashMap<>();
        int n = 0;
        while (!toSend.isEmpty()) {
            List<String> open = new ArrayList<>(toSend.keySet());
            String key = open.get(random.nextInt(open.size()));
            publisher.publish(topics.agentEvents(), key, Integer.toString(sent.merge(key, 1, Integer::sum) - 1));
            n++;
            if (toSend.merge(key, -1, Integer::sum) == 0) {
                toSend.remove(key);
            }
        }
        Map<String, Integer> handledUpTo = new ConcurrentHashMap<>();
        Queue<String> outOfOrder = new ConcurrentLinkedQueue<>();
        java.util.Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        java.util.Set<String> done = ConcurrentHashMap.newKeySet();
        start(builder(topics, "lanes-order", r -> {
            int seq = Integer.parseInt(r.value());
            if (seq % 6 == 4 && failedOnce.add(r.key() + "@" + seq)) {
                throw new java.io.IOException("transient (simulated) on " + r.key() + " " + seq);
            }
            int before = handledUpTo.getOrDefault(r.key(), -1);
            if (seq > before + 1) {
                outOfOrder.add(r.key() + ": " + seq + " after " + before);
            }
            handledUpTo.merge(r.key(), seq, Math::max);
            done.add(r.key() + "@" + seq);
        }).lanes(4));

        int total = n;
        await().atMost(Duration.ofSeconds(120)).until(() -> done.size() >= total);
        assertEquals(List.of(), new ArrayList<>(outOfOrder), "a record handled before an earlier one of its server");
        sent.forEach((key, count) -> assertEquals(count - 1, handledUpTo.get(key), "last record of " + key));
    }

    /**
     * Issue 10, batches: each lane hands its records to the handler in batches inside one scope (a transaction),
     * a batch that fails is undone as a whole and its records handled again one at a time: the malformed record is
     * dead-lettered, the one failing once is retried, and every other record is kept exactly once, in its server's
     * order, whatever batch it was in.
     */
    @Test
    void batchesAreKeptWholeOrUndoneAndTheirRecordsHandledAgainOneAtATime(TestInfo info) throws Exception {
        Topics topics = KafkaTestBroker.freshTopics(info.getDisplayName(), 3);
        int perServer = 40;
        for (int i = 0; i < perServer; i++) {
            for (int s = 0; s < 6; s++) {
                publisher.publish(topics.agentEvents(), "server-" + s, i == 17 && s == 2 ? "bad" : Integer.toString(i));
            }
        }
        publisher.flush();
        // The store: what a batch handles is staged on the lane's thread and kept only when the batch ends well.
        Map<String, Queue<Integer>> kept = new ConcurrentHashMap<>();
        ThreadLocal<List<ConsumerRecord<String, String>>> staged = new ThreadLocal<>();
        AtomicInteger batchesKept = new AtomicInteger();
        AtomicInteger batchesUndone = new AtomicInteger();
        java.util.Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        BatchScope scope = (records, work) -> {
            staged.set(new ArrayList<>());
            try {
                work.run();
                assertEquals(records, staged.get(), "the batch handed its records, in order");
                staged.get().forEach(r -> kept.computeIfAbsent(r.key(), k -> new ConcurrentLinkedQueue<>())
                        .add(Integer.parseInt(r.value())));
                batchesKept.incrementAndGet();
            } catch (RuntimeException e) {
                batchesUndone.incrementAndGet();
                throw e;
            } finally {
                staged.remove();
            }
        };
        TopicConsumerLoop loop = start(builder(topics, "batches", r -> {
            if (r.value().equals("bad")) {
                throw new MalformedMessageException("not a number");
            }
            if (r.key().equals("server-4") && r.value().equals("25") && failedOnce.add("once")) {
                throw new java.io.IOException("store hiccup (simulated)");
            }
            if (staged.get() != null) {
                staged.get().add(r);
            } else {
                kept.computeIfAbsent(r.key(), k -> new ConcurrentLinkedQueue<>()).add(Integer.parseInt(r.value()));
            }
        }).lanes(3).batches(scope, 10));

        await().atMost(Duration.ofSeconds(120)).until(() -> kept.values().stream().mapToInt(Queue::size).sum() >= 6 * perServer - 1);
        for (int s = 0; s < 6; s++) {
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < perServer; i++) {
                if (!(i == 17 && s == 2)) {
                    expected.add(i);
                }
            }
            assertEquals(expected, new ArrayList<>(kept.get("server-" + s)), "server-" + s + ": each record once, in order");
        }
        List<ConsumerRecord<String, String>> dead =
                KafkaTestBroker.readFromStart(bootstrap, topics.deadLetter(), 1, Duration.ofSeconds(120));
        assertEquals(1, dead.size());
        assertEquals("bad", new ObjectMapper().readTree(dead.get(0).value()).get("value").asText());
        org.junit.jupiter.api.Assertions.assertTrue(batchesKept.get() > 0, "some batches were kept whole");
        // The malformed record and the one failing once each undo their batch (unless a poll left one alone).
        org.junit.jupiter.api.Assertions.assertTrue(batchesUndone.get() >= 1 && batchesUndone.get() <= 2,
                batchesUndone + " batches undone");
        assertEquals(batchesUndone.get(), loop.batchesSplit());
    }

    /** Issue 10: a server whose fact takes long does not hold up the others (one loop thread would). */
    @Test
    void withLanesABusyServerDoesNotHoldUpTheOthers(TestInfo info) {
        Topics topics = KafkaTestBroker.freshTopics(info.getDisplayName(), 1);
        int lanes = 4;
        int busyLane = KeyLanes.laneOf("busy".getBytes(java.nio.charset.StandardCharsets.UTF_8), lanes);
        List<String> others = new ArrayList<>();
        for (int s = 0; others.size() < 10; s++) {
            if (KeyLanes.laneOf(("server-" + s).getBytes(java.nio.charset.StandardCharsets.UTF_8), lanes) != busyLane) {
                others.add("server-" + s);
            }
        }
        publisher.publishAndWait(topics.agentEvents(), "busy", "slow");
        others.forEach(key -> publisher.publish(topics.agentEvents(), key, "quick").join());
        java.util.concurrent.CountDownLatch othersDone = new java.util.concurrent.CountDownLatch(others.size());
        Queue<String> busyOutcome = new ConcurrentLinkedQueue<>();
        start(builder(topics, "lanes-busy", r -> {
            if (r.key().equals("busy")) {
                // all records are published before the loop starts, so they come in one batch, busy first
                busyOutcome.add(othersDone.await(30, java.util.concurrent.TimeUnit.SECONDS) ? "others went on" : "held them up");
            } else {
                othersDone.countDown();
            }
        }).lanes(lanes));

        await().atMost(Duration.ofSeconds(120)).until(() -> !busyOutcome.isEmpty());
        assertEquals(List.of("others went on"), new ArrayList<>(busyOutcome));
    }

    @Test
    void malformedRecordIsDeadLetteredAndTheRestIsHandled(TestInfo info) throws Exception {
        Topics topics = KafkaTestBroker.freshTopics(info.getDisplayName(), 1);
        for (String v : List.of("{\"n\":1}", "not json at all", "{\"n\":3}", "{\"n\":4}")) {
            publisher.publishAndWait(topics.agentEvents(), "server-a", v);
        }
        Queue<String> handled = new ConcurrentLinkedQueue<>();
        loop(topics, "malformed", r -> {
            if (!r.value().startsWith("{")) {
                throw new MalformedMessageException("not a JSON envelope");
            }
            handled.add(r.value());
        });

        await().atMost(Duration.ofSeconds(120)).until(() -> handled.size() == 3);
        assertEquals(List.of("{\"n\":1}", "{\"n\":3}", "{\"n\":4}"), new ArrayList<>(handled));
        List<ConsumerRecord<String, String>> dead =
                KafkaTestBroker.readFromStart(bootstrap, topics.deadLetter(), 1, Duration.ofSeconds(120));
        assertEquals(1, dead.size());
        JsonNode json = new ObjectMapper().readTree(dead.get(0).value());
        assertEquals(topics.agentEvents(), json.get("originalTopic").asText());
        assertEquals(0, json.get("partition").asInt());
        assertEquals(1, json.get("offset").asLong());
        assertEquals("server-a", json.get("key").asText());
        assertEquals("not json at all", json.get("value").asText());
        assertEquals("not a JSON envelope", json.get("reason").asText());
        assertEquals("server-a", dead.get(0).key());
        org.junit.jupiter.api.Assertions.assertNotNull(json.get("at").asText());
    }

    @Test
    void transientFailureIsRetriedWithoutSkippingAndThenCommitted(TestInfo info) throws Exception {
        Topics topics = KafkaTestBroker.freshTopics(info.getDisplayName(), 1);
        for (int i = 0; i < 5; i++) {
            publisher.publishAndWait(topics.agentEvents(), "server-a", "r" + i);
        }
        Queue<String> handled = new ConcurrentLinkedQueue<>();
        AtomicInteger failures = new AtomicInteger();
        TopicConsumerLoop first = loop(topics, "transient", r -> {
            if (r.value().equals("r2") && failures.getAndIncrement() < 2) {
                throw new IllegalStateException("command bus down (simulated)");
            }
            handled.add(r.value());
        });

        await().atMost(Duration.ofSeconds(120)).until(() -> handled.size() >= 5);
        assertEquals(List.of("r0", "r1", "r2", "r3", "r4"), new ArrayList<>(handled));
        assertEquals(3, failures.get());
        // Committed after the batch: the group's offset is past r4 ...
        TopicPartition tp = new TopicPartition(topics.agentEvents(), 0);
        try (Admin admin = Admin.create(KafkaSettings.admin(bootstrap))) {
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets(topics.groupId("transient"))
                        .partitionsToOffsetAndMetadata().get().get(tp);
                return committed != null && committed.offset() == 5;
            });
        }
        // ... so a new member of the group only sees what comes after.
        first.close();
        Queue<String> second = new ConcurrentLinkedQueue<>();
        loop(topics, "transient", r -> second.add(r.value()));
        publisher.publishAndWait(topics.agentEvents(), "server-a", "marker");
        await().atMost(Duration.ofSeconds(120)).until(() -> second.contains("marker"));
        assertEquals(List.of("marker"), new ArrayList<>(second));
    }

    @Test
    void failuresRewindEveryPartitionToItsFirstUnhandledRecord(TestInfo info) {
        Topics topics = KafkaTestBroker.freshTopics(info.getDisplayName(), 3);
        int n = 60;
        for (int i = 0; i < n; i++) {
            publisher.publish(topics.agentEvents(), "server-" + (i % 3), Integer.toString(i)).join();
        }
        Map<String, Queue<Integer>> byKey = new ConcurrentHashMap<>();
        java.util.Set<Integer> failedOnce = ConcurrentHashMap.newKeySet();
        AtomicInteger total = new AtomicInteger();
        loop(topics, "rewind", r -> {
            int v = Integer.parseInt(r.value());
            if (v % 7 == 3 && failedOnce.add(v)) {
                throw new java.io.IOException("transient (simulated) on " + v);
            }
            byKey.computeIfAbsent(r.key(), k -> new ConcurrentLinkedQueue<>()).add(v);
            total.incrementAndGet();
        });

        await().atMost(Duration.ofSeconds(120)).until(() -> total.get() >= n);
        assertEquals(n, total.get(), "each record handled exactly once (no rebalance here)");
        byKey.forEach((key, values) -> {
            List<Integer> list = new ArrayList<>(values);
            List<Integer> expected = new ArrayList<>();
            for (int i = Integer.parseInt(key.substring("server-".length())); i < n; i += 3) {
                expected.add(i);
            }
            assertEquals(expected, list, "records of " + key);
        });
    }

    @Test
    void wrappedMalformedExceptionIsStillDeadLettered(TestInfo info) {
        Topics topics = KafkaTestBroker.freshTopics(info.getDisplayName(), 1);
        publisher.publishAndWait(topics.agentEvents(), "server-b", "bad");
        publisher.publishAndWait(topics.agentEvents(), "server-b", "good");
        Queue<String> handled = new ConcurrentLinkedQueue<>();
        loop(topics, "wrapped", r -> {
            if (r.value().equals("bad")) {
                throw new RuntimeException("gateway", new MalformedMessageException("unknown type"));
            }
            handled.add(r.value());
        });
        await().atMost(Duration.ofSeconds(120)).until(() -> handled.contains("good"));
        assertEquals(1, KafkaTestBroker.readFromStart(bootstrap, topics.deadLetter(), 1, Duration.ofSeconds(120)).size());
    }

    @Test
    void aRecordTooLargeToDeadLetterAsItIsStillGetsThereCutToFitAndTheNextIsHandled(TestInfo info) throws Exception {
        Topics topics = KafkaTestBroker.freshTopics(info.getDisplayName(), 1);
        byte[] garbage = new byte[900 * 1024];
        new java.util.Random(8).nextBytes(garbage);
        Properties producerProps = KafkaSettings.producer(bootstrap);
        producerProps.put("value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        try (var raw = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(producerProps)) {
            raw.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topics.agentEvents(), "primary", garbage)).get();
        }
        publisher.publishAndWait(topics.agentEvents(), "primary", "{\"n\":2}");
        Queue<String> handled = new ConcurrentLinkedQueue<>();
        TopicConsumerLoop loop = loop(topics, "too-large", r -> {
            if (!r.value().startsWith("{")) {
                throw new MalformedMessageException("not a JSON envelope");
            }
            handled.add(r.value());
        });

        await().atMost(Duration.ofSeconds(60)).until(() -> handled.contains("{\"n\":2}"));
        List<ConsumerRecord<String, String>> dead =
                KafkaTestBroker.readFromStart(bootstrap, topics.deadLetter(), 1, Duration.ofSeconds(120));
        assertEquals(1, dead.size());
        String deadValue = dead.get(0).value();
        org.junit.jupiter.api.Assertions.assertTrue(deadValue.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                <= DeadLetter.MAX_BYTES, "dead letter of " + deadValue.length() + " chars");
        JsonNode json = new ObjectMapper().readTree(deadValue);
        assertEquals(topics.agentEvents(), json.get("originalTopic").asText());
        assertEquals(0, json.get("partition").asInt());
        assertEquals(0, json.get("offset").asLong());
        assertEquals("primary", json.get("key").asText());
        assertEquals(garbage.length, json.get("valueBytes").asInt());
        assertEquals(DeadLetter.sha256(garbage), json.get("valueSha256").asText());
        assertEquals(true, json.get("valueTruncated").asBoolean());
        org.junit.jupiter.api.Assertions.assertFalse(json.get("value").asText().isEmpty());
        assertEquals("not a JSON envelope", json.get("reason").asText());
        assertEquals(1, loop.status().deadLettered());
        await().atMost(Duration.ofSeconds(120)).until(() -> loop.status().notReady(java.time.Instant.now(),
                Duration.ofMinutes(1)).isEmpty());
    }

    @Test
    void aRecordThatKeepsFailingIsDeadLetteredAfterMaxAttemptsWithTheReason(TestInfo info) throws Exception {
        Topics topics = KafkaTestBroker.freshTopics(info.getDisplayName(), 1);
        publisher.publishAndWait(topics.agentEvents(), "server-a", "poison");
        publisher.publishAndWait(topics.agentEvents(), "server-a", "fine");
        AtomicInteger attempts = new AtomicInteger();
        java.util.concurrent.CountDownLatch inFourthAttempt = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Queue<String> handled = new ConcurrentLinkedQueue<>();
        TopicConsumerLoop loop = start(builder(topics, "bounded", r -> {
            if (r.value().equals("poison")) {
                if (attempts.incrementAndGet() == 4) {
                    inFourthAttempt.countDown();
                    release.await();
                }
                throw new IllegalStateException("handler bug (simulated)");
            }
            handled.add(r.value());
        }).maxAttempts(5));

        // While it retries (three failures so far) the loop is not ready, and says why.
        org.junit.jupiter.api.Assertions.assertTrue(inFourthAttempt.await(30, java.util.concurrent.TimeUnit.SECONDS));
        String why = loop.status().notReady(java.time.Instant.now(), Duration.ofMinutes(1)).orElseThrow();
        org.junit.jupiter.api.Assertions.assertTrue(why.contains("retries " + topics.agentEvents() + "-0@0 (attempt 3 of 5)"), why);
        release.countDown();
        await().atMost(Duration.ofSeconds(120)).until(() -> handled.contains("fine"));
        assertEquals(5, attempts.get());
        List<ConsumerRecord<String, String>> dead =
                KafkaTestBroker.readFromStart(bootstrap, topics.deadLetter(), 1, Duration.ofSeconds(120));
        assertEquals(1, dead.size());
        JsonNode json = new ObjectMapper().readTree(dead.get(0).value());
        assertEquals("poison", json.get("value").asText());
        assertEquals("failed 5 times; last error: java.lang.IllegalStateException: handler bug (simulated)",
                json.get("reason").asText());
        ConsumerLoopStatus status = loop.status();
        assertEquals(1, status.deadLettered());
        assertEquals(0, status.consecutiveFailures());
        assertEquals(null, status.failing());
    }

    @Test
    void whileTheStoreIsDownARecordIsRetriedPastMaxAttemptsAndTheLoopIsNotReady(TestInfo info) {
        Topics topics = KafkaTestBroker.freshTopics(info.getDisplayName(), 1);
        publisher.publishAndWait(topics.agentEvents(), "server-a", "fact");
        java.util.concurrent.atomic.AtomicBoolean storeDown = new java.util.concurrent.atomic.AtomicBoolean(true);
        AtomicInteger attempts = new AtomicInteger();
        Queue<String> handled = new ConcurrentLinkedQueue<>();
        TopicConsumerLoop loop = start(builder(topics, "outage", r -> {
            attempts.incrementAndGet();
            if (storeDown.get()) {
                throw new IllegalStateException("no connection (simulated)");
            }
            handled.add(r.value());
        }).maxAttempts(2).outageProbe(() -> storeDown.get()
                ? java.util.Optional.of("the store (simulated outage)") : java.util.Optional.empty()));

        await().atMost(Duration.ofSeconds(120)).until(() -> attempts.get() >= 6);
        ConsumerLoopStatus during = loop.status();
        assertEquals("the store (simulated outage)", during.outage());
        assertEquals("consumer loop test-outage waits for the store (simulated outage)",
                during.notReady(java.time.Instant.now(), Duration.ofMinutes(1)).orElseThrow());
        storeDown.set(false);
        await().atMost(Duration.ofSeconds(120)).until(() -> handled.contains("fact"));
        await().atMost(Duration.ofSeconds(120)).until(() -> loop.status().notReady(java.time.Instant.now(),
                Duration.ofMinutes(1)).isEmpty());
        assertEquals(0, loop.status().deadLettered());
        assertEquals(0, KafkaTestBroker.readFromStart(bootstrap, topics.deadLetter(), 1, Duration.ofSeconds(2)).size());
    }

    @Test
    void aDeadOrStuckLoopIsNotReady(TestInfo info) {
        Topics topics = KafkaTestBroker.freshTopics(info.getDisplayName(), 1);
        publisher.publishAndWait(topics.agentEvents(), "server-a", "die");
        TopicConsumerLoop dead = loop(topics, "dead", r -> {
            throw new OutOfMemoryError("simulated");
        });
        await().atMost(Duration.ofSeconds(120)).until(() -> !dead.status().running());
        org.junit.jupiter.api.Assertions.assertTrue(dead.status().notReady(java.time.Instant.now(), Duration.ofMinutes(1))
                .orElseThrow().contains("is not running"));

        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        TopicConsumerLoop stuck = loop(topics, "stuck", r -> release.await());
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> stuck.status().lastProgressAt() != null
                    && stuck.status().assignedPartitions() > 0);
            java.time.Instant later = stuck.status().lastProgressAt().plus(Duration.ofMinutes(2));
            org.junit.jupiter.api.Assertions.assertTrue(stuck.status().notReady(later, Duration.ofMinutes(1))
                    .orElseThrow().contains("is stuck"));
        } finally {
            release.countDown();
        }
    }

    /**
     * The controller and each agent are the one member of their group with a static identity: a restart after
     * kill -9 takes the partitions at once instead of waiting out the dead member's session, and an instance
     * still alive with the same identity is fenced and stops rather than consume beside the new one.
     */
    @Test
    void aSoleMemberRestartedTakesThePartitionsFromItsPredecessorWhichStops(TestInfo info) {
        Topics topics = KafkaTestBroker.freshTopics(info.getDisplayName(), 1);
        Queue<String> first = new ConcurrentLinkedQueue<>();
        Queue<String> second = new ConcurrentLinkedQueue<>();
        TopicConsumerLoop old = start(soleBuilder(topics, "old", r -> first.add(r.value())));
        publisher.publishAndWait(topics.agentEvents(), "server-a", "one");
        await().atMost(Duration.ofSeconds(60)).until(() -> first.contains("one"));

        TopicConsumerLoop restarted = start(soleBuilder(topics, "restarted", r -> second.add(r.value())));
        await().atMost(Duration.ofSeconds(60)).until(() -> !old.status().running());
        publisher.publishAndWait(topics.agentEvents(), "server-a", "two");
        await().atMost(Duration.ofSeconds(60)).until(() -> second.contains("two"));
        org.junit.jupiter.api.Assertions.assertTrue(restarted.status().running());
        org.junit.jupiter.api.Assertions.assertFalse(first.contains("two"), "the fenced instance consumes no more");
    }

    private TopicConsumerLoop.Builder soleBuilder(Topics topics, String name, RecordHandler handler) {
        Properties props = KafkaSettings.soleConsumer(bootstrap, topics.groupId("sole"));
        props.put("fetch.max.wait.ms", "50");
        return TopicConsumerLoop.builder("test-sole-" + name).consumerProperties(props).topics(topics.agentEvents())
                .handler(handler).deadLetter(publisher, topics.deadLetter()).backoff(FAST);
    }
}
