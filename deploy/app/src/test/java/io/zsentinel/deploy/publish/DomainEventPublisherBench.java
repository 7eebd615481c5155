package io.zsentinel.deploy.publish;

import io.zsentinel.core.kafka.KafkaSettings;
import io.zsentinel.core.kafka.KafkaTestBroker;
import io.zsentinel.core.kafka.MessagePublisher;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.controller.DomainEventPublisher;
import io.zsentinel.deploy.controller.DomainTypes;
import io.zsentinel.deploy.embedded.EmbeddedPostgresStore;
import io.zsentinel.deploy.store.AxonStore;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.SnapshotRecorded;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * Not a test (no assertion on speed, not picked up by surefire's default includes): domain events from the
 * JDBC event store (embedded PostgreSQL) to the in-process broker, through a real tracking processor, the
 * design before issue 10 and after it in the same run. Prints a Markdown table.
 * <pre>
 * ./mvnw -B -q -o -pl deploy/app -am test -Dtest=DomainEventPublisherBench -Dsurefire.failIfNoSpecifiedTests=false \
 *     [-Dbench.events=50000] [-Dbench.before-events=2000]
 * </pre>
 */
class DomainEventPublisherBench {
    static final int EVENTS = Integer.getInteger("bench.events", 50_000);
    static final int BEFORE_EVENTS = Integer.getInteger("bench.before-events", 2_000);
    static final int DATASETS = 10_000;
    static final int ROUNDS = Integer.getInteger("bench.rounds", 3);

    @TempDir
    Path lab;

    /** One way of publishing: the processor's configuration, the producer's settings, blocking or not. */
    record Way(String name, TrackingEventProcessorConfiguration processor,
               Function<String, Properties> producer, boolean blocking, boolean flush, int events) {
        /** Acknowledged at once, nothing sent: what reading, decoding and encoding alone allow. */
        boolean noKafka() {
            return producer == null;
        }
    }

    record Row(Way way, long events, double seconds, long onTopic) {
        double perSecond() {
            return events / seconds;
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    @Test
    void publishDomainEvents() throws Exception {
        String loadBefore = loadAverage();
        List<Way> ways = List.of(
                new Way("before: batch 1, blocking send, 1 request in flight",
                        TrackingEventProcessorConfiguration.forSingleThreadedProcessing(), KafkaSettings::producer, true, false,
                        Math.min(BEFORE_EVENTS, EVENTS)),
                new Way("batch " + DomainEventPublisher.BATCH_SIZE + ", asynchronous sends, the same producer",
                        DomainEventPublisher.processorConfiguration(), KafkaSettings::producer, false, false, EVENTS),
                new Way("after: batch " + DomainEventPublisher.BATCH_SIZE + ", asynchronous sends, batching producer, flush",
                        DomainEventPublisher.processorConfiguration(), KafkaSettings::batchingProducer, false, true, EVENTS),
                new Way("as after, batch 5000", DomainEventPublisher.processorConfiguration().andBatchSize(5000),
                        KafkaSettings::batchingProducer, false, true, EVENTS),
                new Way("ceiling: batch " + DomainEventPublisher.BATCH_SIZE + ", no Kafka (each send acknowledged at once)",
                        DomainEventPublisher.processorConfiguration(), null, false, false, EVENTS));
        List<Row> rows = new ArrayList<>();
        try (EmbeddedPostgresStore postgres = EmbeddedPostgresStore.start(lab.resolve("pgdata"))) {
            AxonStore store = AxonStore.create(postgres.dataSource());
            long t0 = System.nanoTime();
            append(store, EVENTS);
            System.out.printf("appended %,d events in %.1f s%n", EVENTS, (System.nanoTime() - t0) / 1e9);
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < ways.size(); i++) {
                    Way way = ways.get((i + round) % ways.size()); // each way first once: JIT and page cache
                    Row row = run(store, way);
                    System.out.printf("round %d: %s: %,.0f events/s%n", round + 1, way.name(), row.perSecond());
                    rows.add(row);
                }
            }
        }
        String loadAfter = loadAverage();
        StringBuilder out = new StringBuilder();
        out.append("Machine: ").append(machine()).append('\n');
        out.append("Load average (1/5/15 min) before: ").append(loadBefore).append(", after: ").append(loadAfter)
                .append('\n');
        out.append("Events: SnapshotRecorded over ").append(DATASETS).append(" datasets, stored in the embedded PostgreSQL"
                + " before the runs; topic of 3 partitions on the in-process broker\n\n");
        out.append("| way | events per round | events/s in rounds 1..").append(ROUNDS)
                .append(" | median events/s | records on the topic (last round) |\n|---|---|---|---|---|\n");
        for (Way way : ways) {
            List<Row> of = rows.stream().filter(r -> r.way() == way).toList();
            out.append(String.format("| %s | %,d | %s | **%,.0f** | %,d |%n", way.name(), way.events(),
                    of.stream().map(r -> String.format("%,.0f", r.perSecond())).collect(Collectors.joining(", ")),
                    median(of.stream().map(Row::perSecond).toList()), of.get(of.size() - 1).onTopic()));
        }
        System.out.println(out);
    }

    /** Stores {@code count} SnapshotRecorded events, 1,000 per transaction. */
    static void append(AxonStore store, int count) {
        Configuration axon = store.configure(AxonStore.newConfigurer()).buildConfiguration();
        axon.start();
        try {
            Instant at = Instant.parse("2026-12-01T00:00:00Z");
            long[] sequence = new long[DATASETS];
            for (int from = 0; from < count; from += 1000) {
                List<EventMessage<?>> chunk = new ArrayList<>();
                for (int i = from; i < Math.min(count, from + 1000); i++) {
                    int d = i % DATASETS;
                    DatasetId id = new DatasetId(ServerId.of("server" + (d / 100)), DatasetName.of("tank/vm" + d));
                    SnapshotInfo snapshot = new SnapshotInfo(id.dataset().snapshot("auto-" + i), new Guid(i + 1L), i,
                            at.plusSeconds(i), 4096L * i, 1L << 30);
                    chunk.add(new GenericDomainEventMessage<>("Dataset", id.toString(), sequence[d]++,
                            new SnapshotRecorded(id, snapshot, UUID.randomUUID(), at.plusSeconds(i))));
                }
                DefaultUnitOfWork<?> uow = DefaultUnitOfWork.startAndGet(null);
                uow.attachTransaction(store.transactions());
                uow.execute(() -> axon.eventStore().publish(chunk));
            }
        } finally {
            axon.shutdown();
        }
    }

    static Row run(AxonStore store, Way way) throws Exception {
        Topics topics = KafkaTestBroker.freshTopics("bench-publish", 3);
        String processor = "bench-publisher-" + UUID.randomUUID();
        AtomicLong acked = new AtomicLong();
        try (MessagePublisher kafka = new MessagePublisher(
                (way.noKafka() ? KafkaSettings.producer(KafkaTestBroker.bootstrapServers())
                        : way.producer().apply(KafkaTestBroker.bootstrapServers())))) {
            DomainEventPublisher publisher = way.noKafka()
                    ? DomainEventPublisher.batched(DomainTypes.all(), (key, json) -> {
                        acked.incrementAndGet();
                        return CompletableFuture.completedFuture(null);
                    })
                    : way.blocking()
                    ? new DomainEventPublisher(DomainTypes.all(), (key, json) -> {
                        kafka.publishAndWait(topics.domainEvents(), key, json);
                        acked.incrementAndGet();
                    })
                    : DomainEventPublisher.batched(DomainTypes.all(), DomainEventPublisher.AsyncSink.of((key, json) -> {
                        CompletableFuture<?> ack = kafka.publish(topics.domainEvents(), key, json);
                        return ack.thenRun(acked::incrementAndGet);
                    }, way.flush() ? kafka::flush : () -> { }));
            Configuration axon = store.configure(AxonStore.newConfigurer())
                    .eventProcessing(ep -> ep
                            .registerTrackingEventProcessor(processor, Configuration::eventStore,
                                    c -> way.processor().andInitialTrackingToken(StreamableMessageSource::createTailToken))
                            .assignHandlerInstancesMatching(processor, h -> h == publisher)
                            .registerEventHandler(c -> publisher))
                    .buildConfiguration();
            long t0 = System.nanoTime();
            axon.start();
            double seconds;
            long events;
            try {
                await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(5))
                        .until(() -> acked.get() >= way.events());
                seconds = (System.nanoTime() - t0) / 1e9;
                events = acked.get();
            } finally {
                axon.shutdown();
            }
            return new Row(way, events, seconds, recordsOn(topics.domainEvents()));
        }
    }

    static long recordsOn(String topic) throws Exception {
        try (Admin admin = Admin.create(KafkaSettings.admin(KafkaTestBroker.bootstrapServers()))) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (Exception e) {
            return "?";
        }
    }

    static String machine() {
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version");
        try {
            os = Files.readAllLines(Path.of("/etc/os-release")).stream().filter(l -> l.startsWith("PRETTY_NAME="))
                    .map(l -> l.substring(12).replace("\"", "")).collect(Collectors.joining()) + " (kernel "
                    + System.getProperty("os.version") + ")";
        } catch (Exception ignored) {
            // the JVM's name for it then
        }
        return Runtime.getRuntime().availableProcessors() + " cores, " + os + ", Java " + System.getProperty("java.version")
                + ", " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB max heap";
    }
}
