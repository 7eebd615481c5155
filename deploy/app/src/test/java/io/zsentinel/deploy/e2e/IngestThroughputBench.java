package io.zsentinel.deploy.e2e;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zsentinel.core.config.KafkaConfig;
import io.zsentinel.core.kafka.KafkaSettings;
import io.zsentinel.core.kafka.KafkaTestBroker;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.core.messages.CoreMessages;
import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.Message;
import io.zsentinel.core.messages.facts.AgentHeartbeat;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.messages.facts.SnapshotInventoryReported;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.deploy.controller.Controller;
import io.zsentinel.deploy.embedded.EmbeddedPostgresStore;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Issue 10's ingestion figures, not a test (no assertion on speed; its name matches neither *Test nor *IT):
 * the real {@link Controller} on an embedded PostgreSQL and the in-process broker, fed a fleet's facts.
 * Run with {@code ./mvnw -B -q -o -pl deploy/app -am verify -Dit.test=IngestThroughputBench -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.servers=100 -Dbench.datasets=100 -Dbench.snapshots=10]};
 * the table goes to stdout and {@code deploy/app/target/ingest-bench.txt}.
 * <p>
 * Rounds: every dataset's first inventory (all new), the same inventories again (nothing changes), a
 * heartbeat per dataset's worth of facts (nothing changes). A round's time runs from its first publish until
 * the controller's group has committed every record (committed = handled). Liveness delay: a heartbeat
 * published right behind the first round's burst, until the fleet view shows it.
 */
class IngestThroughputBench {
    private static final EnvelopeCodec CODEC = new EnvelopeCodec(CoreMessages.types());

    @TempDir
    Path dir;

    @Test
    void fleet() throws Exception {
        int servers = Integer.getInteger("bench.servers", 100);
        int datasets = Integer.getInteger("bench.datasets", 100);
        int snapshots = Integer.getInteger("bench.snapshots", 10);
        List<String> table = new ArrayList<>();
        table.add(String.format("fleet: %d servers x %d datasets x %d snapshots, %d cores", servers, datasets, snapshots,
                Runtime.getRuntime().availableProcessors()));
        Map<String, Controller.Ingest> designs = new LinkedHashMap<>();
        designs.put("before (1 lane, every command sent, heartbeats in the same consumer)", Controller.Ingest.BEFORE_ISSUE_10);
        designs.put("after (" + Controller.Ingest.DEFAULT.lanes() + " lanes, no-op facts skipped, liveness consumer)",
                Controller.Ingest.DEFAULT);
        for (Map.Entry<String, Controller.Ingest> design : designs.entrySet()) {
            table.add(design.getKey() + "; load average at start: " + loadAverage());
            table.addAll(run(design.getValue(), dir.resolve("postgres-" + design.getValue().lanes()), servers, datasets,
                    snapshots));
        }
        table.add("load average at the end: " + loadAverage());
        String text = String.join("\n", table) + "\n";
        System.out.print(text);
        Files.writeString(Path.of("target", "ingest-bench.txt"), text);
    }

    private static List<String> run(Controller.Ingest ingest, Path postgresDir, int servers, int datasets, int snapshots)
            throws Exception {
        Topics topics = KafkaTestBroker.freshTopics("ingest-bench", 3);
        KafkaConfig kafka = new KafkaConfig(KafkaTestBroker.bootstrapServers(),
                topics.prefix().substring(0, topics.prefix().length() - 1));
        List<String> rows = new ArrayList<>();
        // A feeder that batches, so the rounds measure the controller, not the publishing.
        Properties feed = KafkaSettings.producer(KafkaTestBroker.bootstrapServers());
        feed.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        feed.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
        try (EmbeddedPostgresStore postgres = EmbeddedPostgresStore.start(postgresDir);
             KafkaProducer<String, String> producer = new KafkaProducer<>(feed);
             Admin admin = Admin.create(KafkaSettings.admin(KafkaTestBroker.bootstrapServers()));
             Controller controller = Controller.start(new ControllerConfig(kafka, null,
                     new ControllerConfig.HttpConfig("127.0.0.1", 0), null), postgres.dataSource(), Clock.systemUTC(),
                     new SimpleMeterRegistry(), ingest)) {
            long published = 0;
            Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
            for (String round : List.of("first inventories (all new)", "same inventories again (no change)",
                    "heartbeats (no change)")) {
                List<Future<?>> sends = new ArrayList<>();
                long started = System.nanoTime();
                int facts = 0;
                for (int d = 0; d < datasets; d++) {
                    for (int s = 0; s < servers; s++) {
                        ServerId server = new ServerId("server-" + s);
                        Message fact = round.startsWith("heartbeats")
                                ? new AgentHeartbeat(server, 1, t0.plusSeconds(d))
                                : inventory(server, d, snapshots, round.startsWith("first") ? t0 : t0.plusSeconds(60));
                        sends.add(producer.send(new ProducerRecord<>(topics.agentEvents(), server.value(),
                                CODEC.encode(CODEC.wrap(fact, "agent:" + server.value(), t0)))));
                        facts++;
                    }
                }
                long probeSent = 0;
                Instant probeAt = t0.plusSeconds(3600 + published);
                if (round.startsWith("first")) {
                    producer.flush();
                    probeSent = System.nanoTime();
                    sends.add(producer.send(new ProducerRecord<>(topics.agentEvents(), "probe", CODEC.encode(
                            CODEC.wrap(new AgentHeartbeat(new ServerId("probe"), 1, probeAt), "agent:probe", t0)))));
                    facts++;
                }
                for (Future<?> send : sends) {
                    send.get();
                }
                long publishedAfter = System.nanoTime();
                published += facts;
                long liveness = -1;
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
                while (committed(admin, topics) < published) {
                    if (probeSent != 0 && liveness < 0 && controller.fleet().servers().stream()
                            .anyMatch(r -> r.server().value().equals("probe") && probeAt.equals(r.lastHeartbeat()))) {
                        liveness = System.nanoTime() - probeSent;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("not absorbed after 30 min: " + round);
                    }
                    Thread.sleep(20); // a benchmark's sampling interval, not a test's wait
                }
                long took = System.nanoTime() - started;
                if (probeSent != 0 && liveness < 0) {
                    liveness = System.nanoTime() - probeSent; // seen at the latest when everything was handled
                }
                rows.add(String.format("  %-36s %6d facts in %7.2f s = %7.0f facts/s (published in %.2f s)%s", round,
                        facts, took / 1e9, facts / (took / 1e9), (publishedAfter - started) / 1e9,
                        liveness < 0 ? "" : String.format("; a heartbeat behind the burst seen after %.2f s", liveness / 1e9)));
            }
        }
        return rows;
    }

    private static SnapshotInventoryReported inventory(ServerId server, int d, int snapshots, Instant at) {
        DatasetName dataset = DatasetName.of("tank/vm" + d);
        List<SnapshotInfo> infos = new ArrayList<>();
        for (int i = 0; i < snapshots; i++) {
            infos.add(new SnapshotInfo(new SnapshotName(dataset, "daily-" + i),
                    new Guid(1 + d * 100_000L + i),
                    100 + i, Instant.parse("2026-11-01T00:00:00Z").plusSeconds(86400L * i), 1024, 4096));
        }
        return new SnapshotInventoryReported(server, dataset, infos, at);
    }

    /** Records the controller's group has committed on the agent-facts topic. */
    private static long committed(Admin admin, Topics topics) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(topics.groupId("controller"))
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topics.agentEvents()) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
