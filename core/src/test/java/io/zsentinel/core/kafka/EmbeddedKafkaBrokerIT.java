package io.zsentinel.core.kafka;

import io.zsentinel.deploy.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Uses a private broker: restarting the shared one would disturb other test classes. */
class EmbeddedKafkaBrokerIT {

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.startDefault();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void publishingAndConsumingSurviveABrokerRestart() {
        Topics topics = new Topics("restart.");
        try (Admin admin = Admin.create(KafkaSettings.admin(broker.bootstrapServers()))) {
            topics.createAll(admin, 1, (short) 1);
        }
        String clusterId = broker.clusterId();
        Queue<String> handled = new ConcurrentLinkedQueue<>();
        try (MessagePublisher publisher = MessagePublisher.create(broker.bootstrapServers());
             TopicConsumerLoop loop = TopicConsumerLoop.builder("restart-test")
                     .consumerProperties(KafkaSettings.consumer(broker.bootstrapServers(), topics.groupId("restart")))
                     .topics(topics.agentEvents())
                     .handler(r -> handled.add(r.value()))
                     .deadLetter(publisher, topics.deadLetter())
                     .backoff(new RetryBackoff(Duration.ofMillis(10), Duration.ofMillis(200)))
                     .start()) {
            publisher.publishAndWait(topics.agentEvents(), "server-a", "before");
            await().atMost(Duration.ofSeconds(120)).until(() -> handled.contains("before"));
            // The commit follows the handling: wait for it, or "before" would rightly come again.
            try (Admin admin = Admin.create(KafkaSettings.admin(broker.bootstrapServers()))) {
                TopicPartition tp = new TopicPartition(topics.agentEvents(), 0);
                await().atMost(Duration.ofSeconds(120)).until(() -> {
                    OffsetAndMetadata c = admin.listConsumerGroupOffsets(topics.groupId("restart"))
                            .partitionsToOffsetAndMetadata().get().get(tp);
                    return c != null && c.offset() == 1;
                });
            }

            int port = broker.brokerPort();
            broker.restart();
            assertEquals(port, broker.brokerPort());
            assertEquals(clusterId, broker.clusterId());

            publisher.publishAndWait(topics.agentEvents(), "server-a", "after");
            await().atMost(Duration.ofSeconds(60)).until(() -> handled.contains("after"));
            assertTrue(loop.isRunning());
            // "before" was committed before the restart, so it is not handled again.
            assertEquals(List.of("before", "after"), List.copyOf(handled));
        }
    }

    @Test
    void reopeningAFormattedDataDirKeepsClusterIdAndData(@TempDir Path dir) {
        String clusterId;
        Topics topics = new Topics("reopen.");
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.builder().dataDir(dir).start();
             Admin admin = Admin.create(KafkaSettings.admin(first.bootstrapServers()));
             MessagePublisher publisher = MessagePublisher.create(first.bootstrapServers())) {
            clusterId = first.clusterId();
            topics.createAll(admin, 1, (short) 1);
            publisher.publishAndWait(topics.domainEvents(), "k", "kept");
        }
        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.builder().dataDir(dir).start()) {
            assertEquals(clusterId, second.clusterId());
            assertEquals("kept", KafkaTestBroker.readFromStart(second.bootstrapServers(), topics.domainEvents(), 1,
                    Duration.ofSeconds(120)).get(0).value());
        }
    }

    @Test
    void reopeningOnOtherPortsStillWorks(@TempDir Path dir) {
        Topics topics = new Topics("moved.");
        int firstPort;
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.builder().dataDir(dir).start();
             Admin admin = Admin.create(KafkaSettings.admin(first.bootstrapServers()));
             MessagePublisher publisher = MessagePublisher.create(first.bootstrapServers())) {
            firstPort = first.controllerPort();
            topics.createAll(admin, 1, (short) 1);
            publisher.publishAndWait(topics.domainEvents(), "k", "kept");
        }
        // Another process took the remembered controller port meanwhile: the lab must still come up on this dir.
        try (ServerSocket taken = new ServerSocket(firstPort, 1, InetAddress.getByName("127.0.0.1"));
             EmbeddedKafkaBroker second = EmbeddedKafkaBroker.builder().dataDir(dir).start();
             MessagePublisher publisher = MessagePublisher.create(second.bootstrapServers())) {
            assertNotEquals(firstPort, second.controllerPort());
            publisher.publishAndWait(topics.domainEvents(), "k", "new");
            assertEquals(2, KafkaTestBroker.readFromStart(second.bootstrapServers(), topics.domainEvents(), 2,
                    Duration.ofSeconds(120)).size());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aTakenFixedPortFailsClearlyOrFallsBack() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> EmbeddedKafkaBroker.builder().brokerPort(port).build());
            assertTrue(e.getMessage().contains(Integer.toString(port)) && e.getMessage().contains("in use"), e.getMessage());
            try (EmbeddedKafkaBroker fallback = EmbeddedKafkaBroker.builder().brokerPort(port).fallbackToFreePort(true).build()) {
                assertNotEquals(port, fallback.brokerPort());
            }
        }
    }

    @Test
    void backoffIsExponentialAndCapped() {
        RetryBackoff b = RetryBackoff.DEFAULT;
        assertEquals(Duration.ofMillis(100), b.delay(1));
        assertEquals(Duration.ofMillis(200), b.delay(2));
        assertEquals(Duration.ofMillis(3200), b.delay(6));
        assertEquals(Duration.ofSeconds(5), b.delay(7));
        assertEquals(Duration.ofSeconds(5), b.delay(1000));
    }
}
