package io.zsentinel.deploy.bench;

import io.zsentinel.deploy.broker.EmbeddedKafkaBroker;
import io.zsentinel.core.kafka.KafkaSettings;
import io.zsentinel.core.kafka.MessagePublisher;
import io.zsentinel.core.kafka.TopicConsumerLoop;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.core.messages.CoreMessages;
import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.agentcommands.StartTransfer;
import io.zsentinel.core.messages.facts.SnapshotCreated;
import io.zsentinel.core.messages.facts.SnapshotInventoryReported;
import io.zsentinel.core.messages.facts.TransferCompleted;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.deploy.agent.Agent;
import io.zsentinel.deploy.agent.AgentConfig;
import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.core.config.KafkaConfig;
import io.zsentinel.deploy.config.LinkRule;
import io.zsentinel.deploy.config.ReplicationConfig;
import io.zsentinel.deploy.controller.ControllerApp;
import io.zsentinel.deploy.embedded.EmbeddedPostgresStore;
import io.zsentinel.deploy.transfer.StreamStarted;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Snapshot → transfer start through the whole stack, as the lab assembles it: an in-process Kafka
 * broker, an embedded PostgreSQL, the controller with one link ({@code every: 1s}, so it is due), an
 * agent on a source and on a target pool. Per round, a checkpoint ordered through the operator API
 * (zsentinel takes it and reports it at once) and a snapshot taken by hand with {@code zfs snapshot}
 * (found by the agent's next scan); each is timed to its {@code zfs send} running. The points in between
 * are Kafka record times of the facts and of the StartTransfer, and the agent's own clock: one JVM, one clock.
 */
final class TransferStartLatency {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int SCAN_SECONDS = 2;
    private static final Duration LINK_EVERY = Duration.ofSeconds(1);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final EnvelopeCodec CODEC = new EnvelopeCodec(CoreMessages.types());

    /** One snapshot's way: taken → known to the controller → StartTransfer published → received → send running. */
    private record Sample(int round, String how, SnapshotName snapshot, Instant taken, Instant reported, Instant ordered,
                          StreamStarted started) {
        long total() {
            return millis(taken, started.sendStarted());
        }

        long controller() {
            return millis(reported, ordered);
        }
    }

    private final Path dir;
    private final String prefix;
    private final int rounds;
    private final PrintStream out;
    private final Map<SnapshotName, Instant> reported = new ConcurrentHashMap<>();
    private final Map<SnapshotName, Instant> ordered = new ConcurrentHashMap<>();
    private final Map<SnapshotName, StreamStarted> started = new ConcurrentHashMap<>();
    private final Set<String> completed = ConcurrentHashMap.newKeySet();
    private final Set<SnapshotName> received = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<SnapshotName> checkpoints = new LinkedBlockingQueue<>();
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private volatile Instant lastCompleted = Instant.EPOCH;

    TransferStartLatency(Path dir, String prefix, int rounds, PrintStream out) {
        this.dir = dir.toAbsolutePath();
        this.prefix = prefix;
        this.rounds = rounds;
        this.out = out;
    }

    String run() throws IOException {
        Files.createDirectories(dir);
        BenchPools pools = new BenchPools(dir.resolve("pools"));
        running.push(pools);
        try {
            PoolName src = pools.create(prefix + "src", 256L << 20);
            PoolName dst = pools.create(prefix + "dst", 256L << 20);
            DatasetName vm = DatasetName.of(src.value()).child("vm1");
            ZfsDriver.detect(pools.runner(), src).createDataset(vm);
            int port = startStack(pools, src, dst, vm);

            pools.check(List.of("zfs", "snapshot", vm.snapshot("base").full()));
            await("the first (full) transfer of " + vm, () -> completed.contains("base"));
            targetReported();
            List<Sample> samples = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                samples.add(checkpoint(r, port, src, vm));
                samples.add(byHand(r, pools, vm));
            }
            return report(samples);
        } finally {
            close();
        }
    }

    /** Kafka, PostgreSQL, the controller with one link vm → dst, an agent per pool; returns the HTTP port. */
    private int startStack(BenchPools pools, PoolName src, PoolName dst, DatasetName vm) {
        EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().dataDir(dir.resolve("kafka")).brokerPort(0).start();
        running.push(kafka);
        EmbeddedPostgresStore postgres = EmbeddedPostgresStore.start(dir.resolve("postgres"));
        running.push(postgres);
        KafkaConfig kafkaConfig = new KafkaConfig(kafka.bootstrapServers(), "");
        ReplicationConfig replication = new ReplicationConfig(null, List.of(new LinkRule(vm.value(), null, dst.value(),
                dst.value(), LINK_EVERY.toSeconds() + "s", null)));
        ControllerApp controller = ControllerApp.start(new ControllerConfig(kafkaConfig, null,
                new ControllerConfig.HttpConfig("127.0.0.1", 0), null, null, replication), postgres.dataSource(),
                Clock.systemUTC());
        running.push(controller);
        MessagePublisher publisher = MessagePublisher.create(kafka.bootstrapServers());
        running.push(publisher);
        Topics topics = new Topics(kafkaConfig.prefix());
        running.push(TopicConsumerLoop.builder("bench-watch")
                .consumerProperties(KafkaSettings.consumer(kafka.bootstrapServers(), "bench-watch"))
                .topics(topics.agentEvents(), topics.agentCommands())
                .handler(this::observe)
                .deadLetter(publisher, topics.deadLetter())
                .start());
        for (PoolName pool : List.of(src, dst)) {
            Agent agent = new Agent(new AgentConfig(new ServerId(pool.value()), kafkaConfig, List.of(pool), 2,
                    SCAN_SECONDS, null, null), ZfsDriver.detect(pools.runner(), pool), publisher, Clock.systemUTC());
            running.push(agent.onStreamStarted(s -> started.putIfAbsent(s.snapshot(), s)).start());
        }
        return controller.httpPort();
    }

    /** Kafka's record time is the producer's clock at publish, here the same as the agents' and the bench's. */
    private void observe(ConsumerRecord<String, String> record) {
        Instant at = Instant.ofEpochMilli(record.timestamp());
        Object payload = CODEC.decode(record.value()).payload();
        if (payload instanceof SnapshotInventoryReported r) {
            r.snapshots().forEach(s -> reported.putIfAbsent(s.name(), at));
        } else if (payload instanceof SnapshotCreated c) {
            reported.putIfAbsent(c.snapshot().name(), at);
            checkpoints.add(c.snapshot().name());
        } else if (payload instanceof StartTransfer t) {
            ordered.putIfAbsent(t.to(), at);
        } else if (payload instanceof TransferCompleted t) {
            completed.add(t.snapshot().shortName());
            received.add(t.snapshot());
            lastCompleted = Instant.now();
        }
    }

    private Sample checkpoint(int round, int port, PoolName src, DatasetName vm) throws IOException {
        linkDue();
        String body = "{\"operator\":\"bench\",\"reason\":\"snapshot to transfer latency\",\"server\":\"" + src + "\"}";
        HttpResponse<String> answer = post(port, "/api/datasets/" + URLEncoder.encode(vm.value(), StandardCharsets.UTF_8)
                + "/checkpoint", body);
        if (answer.statusCode() != 202) {
            throw new IllegalStateException("checkpoint of " + vm + " refused: " + answer.statusCode() + " " + answer.body());
        }
        SnapshotName snapshot;
        try {
            snapshot = checkpoints.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the checkpoint of " + vm, e);
        }
        if (snapshot == null) {
            throw new IllegalStateException("the checkpoint of " + vm + " was not reported within " + WAIT);
        }
        // taken: the agent's SnapshotCreated, published right after its zfs snapshot returned
        return sample(round, "checkpoint (zsentinel)", snapshot, reported.get(snapshot));
    }

    private Sample byHand(int round, BenchPools pools, DatasetName vm) {
        linkDue();
        SnapshotName snapshot = vm.snapshot("by-hand-" + round);
        pools.check(List.of("zfs", "snapshot", snapshot.full()));
        return sample(round, "`zfs snapshot` by hand", snapshot, Instant.now());
    }

    private Sample sample(int round, String how, SnapshotName snapshot, Instant taken) {
        await("the transfer of " + snapshot + " to start", () -> started.containsKey(snapshot));
        await("the transfer of " + snapshot + " to complete", () -> completed.contains(snapshot.shortName()));
        targetReported();
        Sample s = new Sample(round, how, snapshot, taken, reported.get(snapshot), ordered.get(snapshot),
                started.get(snapshot));
        out.printf("round %d, %s %s: snapshot → zfs send running %d ms (controller %d ms)%n", round, how, snapshot,
                s.total(), s.controller());
        return s;
    }

    /**
     * The target agent has reported what it received (its next scan): a plan made on an older target
     * inventory would be a full stream onto an existing dataset, refused as a divergence.
     */
    private void targetReported() {
        await("the target's inventory to show " + received, () -> reported.keySet().containsAll(received));
    }

    /** The link sends at most once per {@code every}: let that pass since the last transfer. */
    private void linkDue() {
        Instant due = lastCompleted.plus(LINK_EVERY).plusMillis(500);
        long wait = Duration.between(Instant.now(), due).toMillis();
        if (wait > 0) {
            pause(wait);
        }
    }

    private String report(List<Sample> samples) {
        StringBuilder s = new StringBuilder();
        s.append("\n## Snapshot → transfer start through the stack (issue 4), measured ").append(LocalDate.now())
                .append("\n\n");
        s.append("Same run: in-process Kafka, embedded PostgreSQL, the controller with one link (`every: 1s`, due), an "
                + "agent per pool (scan every ").append(SCAN_SECONDS).append(" s), the agent's default transfer settings. "
                + "Per round a checkpoint through `POST /api/datasets/{name}/checkpoint` (zsentinel takes it and reports "
                + "it at once; *taken* = its SnapshotCreated fact on Kafka) and a `zfs snapshot` by hand (*taken* = when "
                + "the command returned; the controller learns of it from the agent's next inventory scan). Known = "
                + "the first agent fact naming it on Kafka; StartTransfer = its record on Kafka; received and send = the "
                + "agent's clock (StartTransfer handed to the transfer executor, `zfs send` started).\n\n");
        s.append("| round | snapshot | taken → known | known → StartTransfer (controller) | → received (agent) "
                + "| → `zfs send` running | total |\n");
        s.append("|---|---|---|---|---|---|---|\n");
        for (Sample x : samples) {
            s.append(String.format(Locale.ROOT, "| %d | %s | %d ms | %d ms | %d ms | %d ms | **%d ms** |%n", x.round(),
                    x.how(), millis(x.taken(), x.reported()), x.controller(), millis(x.ordered(),
                            x.started().orderReceived()), millis(x.started().orderReceived(), x.started().sendStarted()),
                    x.total()));
        }
        s.append('\n');
        for (String how : samples.stream().map(Sample::how).distinct().toList()) {
            List<Sample> of = samples.stream().filter(x -> x.how().equals(how)).toList();
            s.append(String.format(Locale.ROOT, "Median %s: **%d ms** total, of which the controller %d ms.%n", how,
                    (long) ReplicationBench.median(of.stream().map(x -> (double) x.total()).toList()),
                    (long) ReplicationBench.median(of.stream().map(x -> (double) x.controller()).toList())));
        }
        return s.toString();
    }

    private static long millis(Instant from, Instant to) {
        return Duration.between(from, to).toMillis();
    }

    private static HttpResponse<String> post(int port, String path, String json) throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted posting " + path, e);
        }
    }

    private static void await(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting " + WAIT.toSeconds() + " s for " + what);
            }
            pause(2);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Agents first, pools last; then the stack's data (Kafka log, PostgreSQL). */
    private void close() {
        while (!running.isEmpty()) {
            AutoCloseable c = running.pop();
            try {
                c.close();
            } catch (Exception e) {
                out.println("bench cleanup: " + c.getClass().getSimpleName() + " did not close cleanly: " + e);
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            out.println("bench cleanup: could not delete " + dir + ": " + e);
        }
    }
}
