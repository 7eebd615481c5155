package io.zsentinel.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.zsentinel.core.config.KafkaConfig;
import io.zsentinel.core.kafka.KafkaSettings;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.core.messages.CoreMessages;
import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.facts.AgentFact;
import io.zsentinel.core.messages.facts.AgentHeartbeat;
import io.zsentinel.core.messages.facts.PoolHealthReported;
import io.zsentinel.core.messages.facts.SnapshotCreated;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.messages.facts.SnapshotInventoryReported;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.broker.EmbeddedKafkaBroker;
import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.deploy.config.LinkRule;
import io.zsentinel.deploy.config.ReplicationConfig;
import io.zsentinel.deploy.controller.ControllerApp;
import io.zsentinel.deploy.embedded.EmbeddedPostgresStore;
import io.zsentinel.deploy.store.DataSources;
import io.zsentinel.replication.api.link.ReplicationScheduled;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code zsentinel bench fleet}: the real {@link ControllerApp} on the embedded PostgreSQL (or one given by
 * a JDBC URL) and the in-process Kafka broker, fed synthetic agent facts as agents publish them (the envelope
 * codec, topic {@code zsentinel.agent-events}, keyed by server). Everything is observed from outside through
 * public entry points only: the Kafka admin client (the controller's committed offsets, the end offsets of
 * the domain-events topic), the event store's table, and the controller's HTTP API.
 * <p>
 * Each phase measures one thing (see {@link Phase}); phases not chosen with {@code --only} that a chosen one
 * needs (the fleet's facts, a restart) still run, unreported.
 */
public final class FleetBench {
    private static final EnvelopeCodec CODEC = new EnvelopeCodec(CoreMessages.types());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final PoolName POOL = new PoolName("tank");
    private static final PoolName HISTORY_POOL = new PoolName("hist");
    private static final ServerId HISTORY_SERVER = new ServerId("bench-history");
    /** At most this many snapshots in one inventory report (a record must stay well below Kafka's 1 MB). */
    static final int REPORT_WINDOW = 1000;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    /** What the bench can measure, in the order it runs them. */
    public enum Phase {
        INGEST("agent facts absorbed end to end"),
        PUBLISH("domain events republished to Kafka"),
        LIVENESS("a heartbeat in the middle of a burst"),
        MEMORY("heap and RSS in steady state"),
        REBUILD("views rebuilt at start"),
        LOAD("a command on a dataset with a long history, cache cold"),
        PLAN("one replication planning pass");

        final String title;

        Phase(String title) {
            this.title = title;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** {@code "ingest,plan"} → those phases; an unknown name is refused, naming the known ones. */
        public static Set<Phase> parse(List<String> names) {
            if (names == null || names.isEmpty()) {
                return EnumSet.allOf(Phase.class);
            }
            Set<Phase> chosen = EnumSet.noneOf(Phase.class);
            for (String name : names) {
                String n = name.strip().toUpperCase(Locale.ROOT);
                try {
                    chosen.add(Phase.valueOf(n));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--only: no phase \"" + name + "\"; the phases are "
                            + Arrays.stream(values()).map(Phase::label).collect(Collectors.joining(",")));
                }
            }
            return chosen;
        }
    }

    /**
     * {@code jdbcUrl} null: an embedded PostgreSQL in a fresh directory under {@code dir}, removed afterwards;
     * otherwise that database, which must hold no events yet. {@code report} null: printed only.
     */
    public record Options(int servers, int datasets, int snapshots, int burst, List<Integer> histories,
                          Set<Phase> only, String jdbcUrl, String user, String password, Path dir, Path report,
                          String label, Duration publishWait, Duration planWait, Duration timeout) {
        public Options {
            positive("--servers", servers);
            positive("--datasets", datasets);
            positive("--snapshots", snapshots);
            positive("--burst", burst);
            if (snapshots > REPORT_WINDOW) {
                throw new IllegalArgumentException("--snapshots " + snapshots + ": at most " + REPORT_WINDOW
                        + " per dataset (one inventory report must fit in a Kafka record)");
            }
            histories = List.copyOf(histories == null ? List.of() : histories);
            histories.forEach(h -> positive("--history", h));
            only = only == null || only.isEmpty() ? EnumSet.allOf(Phase.class) : EnumSet.copyOf(only);
            if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("--jdbc-url must be a jdbc:postgresql: URL, not " + jdbcUrl);
            }
            label = label == null || label.isBlank() ? "this run" : label;
            if (publishWait.isNegative() || planWait.isNegative() || planWait.isZero() || timeout.isNegative()
                    || timeout.isZero()) {
                throw new IllegalArgumentException("--publish-wait, --plan-wait and --timeout must be positive");
            }
        }

        private static void positive(String option, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(option + " must be at least 1, not " + value);
            }
        }

        int facts() {
            return servers * (datasets + 2);
        }
    }

    /** One line of the table: what, the figure, how it was read. */
    record Row(Phase phase, String what, String figure, String how) {
    }

    private final Options options;
    private final PrintStream out;
    private final List<Row> rows = new ArrayList<>();
    private final Deque<AutoCloseable> open = new ArrayDeque<>();
    private final AtomicLong guids = new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50));
    private final String run = ReplicationBench.letters(6);
    private final Instant epoch = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(400));
    private DataSource store;
    private Admin admin;
    private KafkaProducer<String, String> producer;
    private Topics topics;
    private ControllerConfig config;
    private ControllerApp controller;
    private long heapBeforeController;
    private long emptyStart;
    private final String loadAtStart = Machine.loadAverage();

    public FleetBench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public int run() throws IOException {
        Path work = options.dir().resolve("fleet-" + run);
        Files.createDirectories(work);
        String table;
        // Ctrl-C stops the embedded PostgreSQL too instead of leaving it running
        Thread cleanup = new Thread(this::closeAll, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        String failure = null;
        try {
            startParts(work);
            runPhases();
        } catch (RuntimeException e) {
            // what was measured until then is still reported, with what stopped the run
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
            out.println("the bench stopped: " + failure);
        } finally {
            closeAll();
            deleteTree(work);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway; closeAll is idempotent
            }
        }
        table = report(failure);
        out.println(table);
        if (options.report() != null) {
            Files.writeString(options.report(), table, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            out.println("appended to " + options.report());
        }
        return failure == null ? 0 : 1;
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    private void startParts(Path work) {
        EmbeddedKafkaBroker kafka = opened(EmbeddedKafkaBroker.builder().dataDir(work.resolve("kafka")).brokerPort(0).start());
        if (options.jdbcUrl() == null) {
            store = opened(EmbeddedPostgresStore.start(work.resolve("postgres"))).dataSource();
        } else {
            HikariDataSource pooled = opened(DataSources.pooled(options.jdbcUrl(), options.user(), options.password()));
            store = pooled;
            requireEmptyStore();
        }
        KafkaConfig kafkaConfig = new KafkaConfig(kafka.bootstrapServers(), "bench-" + run);
        topics = new Topics(kafkaConfig.prefix());
        config = new ControllerConfig(kafkaConfig, null, new ControllerConfig.HttpConfig("127.0.0.1", 0), null);
        admin = opened(Admin.create(KafkaSettings.admin(kafka.bootstrapServers())));
        var settings = KafkaSettings.producer(kafka.bootstrapServers());
        settings.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        settings.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(1000 * 1024));
        producer = opened(new KafkaProducer<>(settings));
        heapBeforeController = heapAfterGc().getUsed();
        long starting = System.nanoTime();
        controller = startController(config);
        emptyStart = System.nanoTime() - starting;
    }

    private void runPhases() throws IOException {
        boolean fleetNeeded = options.only().stream().anyMatch(p -> p != Phase.LOAD);
        if (fleetNeeded) {
            ingest();
        }
        if (chosen(Phase.LIVENESS) || chosen(Phase.MEMORY)) {
            liveness();
        }
        if (chosen(Phase.MEMORY)) {
            memory();
        }
        if (chosen(Phase.LOAD)) {
            histories();
        }
        if (chosen(Phase.REBUILD) || chosen(Phase.LOAD)) {
            rebuild();
        }
        if (chosen(Phase.LOAD)) {
            load();
        }
        if (chosen(Phase.PLAN)) {
            plan();
        }
    }

    private boolean chosen(Phase phase) {
        return options.only().contains(phase);
    }

    private void row(Phase phase, String what, String figure, String how) {
        Row row = new Row(phase, what, figure, how);
        out.printf("%s: %s: %s%n", phase.label(), what, figure);
        if (chosen(phase)) {
            rows.add(row);
        }
    }

    // --- 1 and 2: the fleet's facts, end to end, and the domain events republished --------------------------

    /**
     * The facts wait in Kafka while the controller is stopped (a midnight backlog, and the producer is not what
     * is timed), then the controller starts and absorbs them.
     */
    private void ingest() {
        int n = options.servers();
        int m = options.datasets();
        int facts = options.facts();
        out.printf("ingest: %d servers × %d datasets × %d snapshots = %d facts%n", n, m, options.snapshots(), facts);
        List<AgentFact> fleet = new ArrayList<>();
        Instant at = Instant.now();
        for (int s = 0; s < n; s++) {
            ServerId server = server(s);
            fleet.add(new AgentHeartbeat(server, 1, at));
            fleet.add(new PoolHealthReported(server, POOL, PoolHealth.ONLINE, 40, 1L << 40, 4L << 38, 0, 0, 0, "", at));
        }
        for (int d = 0; d < m; d++) {
            for (int s = 0; s < n; s++) {
                DatasetName dataset = dataset(s, d);
                List<SnapshotInfo> snapshots = new ArrayList<>();
                for (int k = 0; k < options.snapshots(); k++) {
                    snapshots.add(snapshot(dataset, "auto-" + k, k));
                }
                fleet.add(new SnapshotInventoryReported(server(s), dataset, snapshots, at));
            }
        }
        List<ProducerRecord<String, String>> records = fleet.stream().map(this::record).toList();
        controller.close();
        controller = null;
        long eventsBefore = storedEvents();
        long publishedBefore = endOffsets(topics.domainEvents());
        long producing = System.nanoTime();
        produce(records);
        double produced = seconds(System.nanoTime() - producing);
        out.printf("ingest: %d facts produced in %.1f s while the controller was stopped%n", facts, produced);

        long began = System.nanoTime();
        controller = ControllerApp.start(config, store, Clock.systemUTC());
        Applied applied = awaitApplied("ingest", facts);
        double took = seconds(applied.doneAt() - began);
        long events = storedEvents() - eventsBefore;
        long published = endOffsets(topics.domainEvents()) - publishedBefore;
        row(Phase.INGEST, "agent facts applied (Kafka → rules → event store)",
                String.format(Locale.ROOT, "**%.0f facts/s** (%d facts in %.1f s)", facts / took, facts, took),
                String.format(Locale.ROOT, "the facts waited in Kafka (produced in %.1f s); from ControllerApp.start "
                        + "(which alone took %.1f s to /health 200 on the empty store) until the controller's consumer "
                        + "group(s) committed the end of the topic (committed after handling, so never early)", produced,
                        seconds(emptyStart)));
        double steady = seconds(applied.doneAt() - applied.firstAt());
        row(Phase.INGEST, "the same, from its first commit to its last",
                steady > 0 ? String.format(Locale.ROOT, "%.0f facts/s (%d facts in %.1f s)",
                        (facts - applied.appliedAtFirst()) / steady, facts - applied.appliedAtFirst(), steady)
                        : "all in one commit",
                "commits read every 50 ms: the controller's start and its first batch left out");
        row(Phase.INGEST, "events stored", String.format(Locale.ROOT, "**%.0f events/s** (%d events)", events / took,
                events), "rows added to domain_event_entry over the first row's time");
        row(Phase.PUBLISH, "domain events on Kafka when ingestion was done",
                String.format(Locale.ROOT, "%d of %d (%d behind)", published, events, Math.max(0, events - published)),
                "end offsets of " + topics.domainEvents() + " against the rows in the store");
        if (chosen(Phase.PUBLISH)) {
            publish(began, eventsBefore, publishedBefore, events + eventsBefore);
        }
        awaitHealthy(controller);
        if (chosen(Phase.INGEST)) {
            unchanged(fleet);
        }
    }

    /**
     * The fleet's inventories once more, unchanged (as every agent reports them again when it restarts), produced
     * while the controller runs: a fact that changes nothing should cost no database write.
     */
    private void unchanged(List<AgentFact> fleet) {
        List<ProducerRecord<String, String>> again = fleet.stream().filter(SnapshotInventoryReported.class::isInstance)
                .map(this::record).toList();
        long eventsBefore = storedEvents();
        long began = System.nanoTime();
        produce(again);
        double produced = seconds(System.nanoTime() - began);
        Applied applied = awaitApplied("unchanged", again.size());
        double took = seconds(applied.doneAt() - began);
        long events = storedEvents() - eventsBefore;
        row(Phase.INGEST, "the same inventories again, unchanged",
                String.format(Locale.ROOT, "**%.0f facts/s** (%d facts in %.1f s), %d events stored", again.size() / took,
                        again.size(), took, events),
                String.format(Locale.ROOT, "produced (in %.1f s) while the controller runs, from the first send until the "
                        + "commits reached the end; events: rows added to domain_event_entry", produced));
    }

    /** Sends every record, waits for the acks and checks the topic grew by as many (a lost fact would skew all). */
    private void produce(List<ProducerRecord<String, String>> records) {
        produce(records, null, new AtomicLong());
    }

    /** The same, noting in {@code ackedAt} when the broker acknowledged {@code watched}. */
    private void produce(List<ProducerRecord<String, String>> records, ProducerRecord<String, String> watched,
                         AtomicLong ackedAt) {
        long before = endOffsets(topics.agentEvents());
        for (ProducerRecord<String, String> r : records) {
            producer.send(r, (meta, e) -> {
                if (e != null) {
                    out.println("could not produce a fact: " + e);
                } else if (r == watched) {
                    ackedAt.set(System.nanoTime());
                }
            });
        }
        producer.flush();
        long grew = endOffsets(topics.agentEvents()) - before;
        if (grew != records.size()) {
            throw new IllegalStateException(records.size() + " facts produced but " + topics.agentEvents() + " grew by "
                    + grew + "; the figures would be wrong, run the bench again");
        }
    }

    private void publish(long began, long eventsBefore, long publishedBefore, long target) {
        long deadline = System.nanoTime() + options.publishWait().toNanos();
        long published = endOffsets(topics.domainEvents());
        long lastProgress = System.nanoTime();
        while (published < target && System.nanoTime() < deadline) {
            pause(Duration.ofMillis(100));
            published = endOffsets(topics.domainEvents());
            if (System.nanoTime() - lastProgress > PROGRESS_EVERY.toNanos()) {
                out.printf("publish: %d of %d domain events on Kafka%n", published - publishedBefore, target - eventsBefore);
                lastProgress = System.nanoTime();
            }
        }
        double took = seconds(System.nanoTime() - began);
        long count = published - publishedBefore;
        long events = target - eventsBefore;
        String figure = published >= target
                ? String.format(Locale.ROOT, "**%.0f events/s** (all %d on Kafka %.1f s after the first fact)", count / took,
                events, took)
                : String.format(Locale.ROOT, "**%.0f events/s** (%d of %d on Kafka %.1f s after the first fact; waited "
                + "no longer, --publish-wait)", count / took, count, events, took);
        row(Phase.PUBLISH, "domain events republished", figure,
                "end offsets of " + topics.domainEvents() + " (records, duplicates included) over the time since the "
                        + "first fact");
    }

    // --- 6 and 7: liveness under a burst, memory in steady state ----------------------------------------------

    private void liveness() {
        int burst = options.burst();
        int n = options.servers();
        int m = options.datasets();
        ServerId watched = server(0);
        Instant beat = Instant.now().truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
        AtomicLong acked = new AtomicLong();
        AtomicLong seen = new AtomicLong();
        // Watched from the start, so producing the rest of the burst cannot make the heartbeat look later.
        Thread watcher = new Thread(() -> {
            try {
                seen.set(waitFor("liveness: the heartbeat in the fleet view", heartbeatShown(watched, beat),
                        Duration.ofMillis(20)));
            } catch (RuntimeException e) {
                out.println("liveness: " + e.getMessage());
            }
        }, "bench-liveness-watch");
        watcher.setDaemon(true);
        watcher.start();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        ProducerRecord<String, String> heartbeat = record(new AgentHeartbeat(watched, 1, beat));
        for (int j = 0; j < burst; j++) {
            if (j == burst / 2) {
                records.add(heartbeat);
            }
            int s = j % n;
            int d = (j / n) % m;
            int round = j / (n * m);
            DatasetName dataset = dataset(s, d);
            records.add(record(new SnapshotCreated(server(s), snapshot(dataset, "daily-" + round,
                    options.snapshots() + round), null)));
        }
        long began = System.nanoTime();
        produce(records, heartbeat, acked);
        double produced = seconds(System.nanoTime() - began);
        try {
            watcher.join(options.timeout().toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the heartbeat", e);
        }
        if (seen.get() == 0) {
            throw new IllegalStateException("liveness: the heartbeat of " + watched + " at " + beat
                    + " never showed in /api/servers");
        }
        double delay = seconds(seen.get() - acked.get());
        awaitApplied("liveness", burst + 1);
        double took = seconds(System.nanoTime() - began);
        row(Phase.LIVENESS, "heartbeat delay under a burst of " + burst + " snapshot facts",
                String.format(Locale.ROOT, "**%.2f s**", delay),
                "from the broker's ack of a heartbeat produced after half the burst until /api/servers shows it");
        row(Phase.LIVENESS, "the burst absorbed",
                String.format(Locale.ROOT, "%.0f facts/s (%d facts in %.1f s)", (burst + 1) / took, burst + 1, took),
                String.format(Locale.ROOT, "SnapshotCreated across all datasets, produced (in %.1f s) while the "
                        + "controller runs, from the first send until the commits reached the end", produced));
    }

    private BooleanSupplier heartbeatShown(ServerId server, Instant beat) {
        return () -> {
            for (JsonNode row : readJson(get("/api/servers").body())) {
                if (row.path("server").asText().equals(server.value()) && row.hasNonNull("lastHeartbeat")
                        && !Instant.parse(row.path("lastHeartbeat").asText()).isBefore(beat)) {
                    return true;
                }
            }
            return false;
        };
    }

    private void memory() {
        MemoryUsage heap = heapAfterGc();
        long rss = rssBytes();
        String heapFlags = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-Xm") || a.startsWith("-Xs") || a.contains("Heap") || a.contains("GC")
                        || a.contains("RAMPercentage"))
                .collect(Collectors.joining(" "));
        row(Phase.MEMORY, "heap after a full GC (whole bench JVM)",
                String.format(Locale.ROOT, "**%d MB** (committed %d MB, max %d MB)", heap.getUsed() >> 20,
                        heap.getCommitted() >> 20, heap.getMax() >> 20),
                "MemoryMXBean after System.gc(), the controller, the in-process broker and the bench's producer");
        row(Phase.MEMORY, "of which the controller", String.format(Locale.ROOT, "~%d MB",
                        Math.max(0, heap.getUsed() - heapBeforeController) >> 20),
                "the same reading minus the one taken before the controller started (broker and store already up)");
        row(Phase.MEMORY, "process RSS (whole bench JVM)", String.format(Locale.ROOT, "**%d MB**", rss >> 20),
                "VmRSS of /proc/self/status; JVM flags: " + (heapFlags.isEmpty() ? "none (defaults)" : heapFlags));
    }

    // --- 3: views rebuilt at start; 5: a long history loaded cold ----------------------------------------------

    private void histories() {
        if (options.histories().isEmpty()) {
            return;
        }
        List<AgentFact> facts = new ArrayList<>();
        Instant at = Instant.now();
        for (int size : options.histories()) {
            DatasetName dataset = historyDataset(size);
            // Reports of a rolling window: each records REPORT_WINDOW new snapshots and lets the previous go.
            for (int from = 0; from < size; from += REPORT_WINDOW) {
                List<SnapshotInfo> window = new ArrayList<>();
                for (int k = from; k < Math.min(size, from + REPORT_WINDOW); k++) {
                    window.add(snapshot(dataset, "h-" + k, k));
                }
                facts.add(new SnapshotInventoryReported(HISTORY_SERVER, dataset, window, at));
            }
        }
        long began = System.nanoTime();
        produce(facts.stream().map(this::record).toList());
        awaitApplied("history", facts.size());
        out.printf("load: %d reports for histories of %s snapshots applied in %.1f s%n", facts.size(),
                options.histories(), seconds(System.nanoTime() - began));
    }

    private void rebuild() {
        long events = storedEvents();
        long took = restart(config);
        row(Phase.REBUILD, "views rebuilt at start", String.format(Locale.ROOT, "**%.0f events/s** (%d events in %.1f s)",
                        events / seconds(took), events, seconds(took)),
                "ControllerApp closed and started again on the same store: from start until /health is 200");
    }

    private void load() {
        for (int size : options.histories()) {
            DatasetName dataset = historyDataset(size);
            String path = "/api/datasets/" + URLEncoder.encode(dataset.value(), StandardCharsets.UTF_8) + "/checkpoint";
            String body = "{\"operator\":\"bench\",\"reason\":\"load a long history\",\"server\":\""
                    + HISTORY_SERVER.value() + "\"}";
            long began = System.nanoTime();
            HttpResponse<String> cold = post(path, body);
            double coldMs = (System.nanoTime() - began) / 1e6;
            began = System.nanoTime();
            HttpResponse<String> warm = post(path, body);
            double warmMs = (System.nanoTime() - began) / 1e6;
            row(Phase.LOAD, "a command on a dataset with " + size + " snapshots in its history, cache cold",
                    String.format(Locale.ROOT, "**%.0f ms** (HTTP %d); the next one %.0f ms (HTTP %d)", coldMs,
                            cold.statusCode(), warmMs, warm.statusCode()),
                    "POST /api/datasets/…/checkpoint (TakeCheckpoint, sendAndWait) right after the restart; history "
                            + "from inventory reports of " + REPORT_WINDOW + " snapshots each (the previous ones gone)");
        }
    }

    // --- 4: one planning pass over every dataset × 2 targets --------------------------------------------------

    private void plan() {
        int links = options.servers() * options.datasets() * 2;
        ReplicationConfig replication = new ReplicationConfig(1, List.of(
                new LinkRule(POOL.value() + "/*", null, "standby-a", "backup", "15m", null),
                new LinkRule(POOL.value() + "/*", null, "standby-b", "offsite", "15m", null)));
        ControllerConfig withLinks = new ControllerConfig(config.kafka(), config.store(), config.http(),
                config.heartbeatTimeoutSeconds(), config.retention(), replication);
        out.printf("plan: restart with 2 link rules (every dataset → standby-a, standby-b): %d links%n", links);
        controller.close();
        controller = null;
        long began = System.nanoTime();
        controller = ControllerApp.start(withLinks, store, Clock.systemUTC());
        // Polled from the start: the ticker may plan on the views while they are still being rebuilt.
        long readyAt = 0;
        long firstAt = 0;
        long firstStoredAt = 0;
        long allStoredAt = 0;
        int planned;
        long lastProgress = began;
        long deadline = began + options.planWait().toNanos();
        while (true) {
            if (readyAt == 0 && get("/health").statusCode() == 200) {
                readyAt = System.nanoTime();
            }
            if (allStoredAt == 0) {
                long stored = storedEvents(ReplicationScheduled.class);
                if (stored > 0 && firstStoredAt == 0) {
                    firstStoredAt = System.nanoTime();
                }
                if (stored >= links) {
                    allStoredAt = System.nanoTime();
                }
            }
            planned = plannedLinks();
            long now = System.nanoTime();
            if (planned > 0 && firstAt == 0) {
                firstAt = now;
            }
            if ((planned >= links && readyAt != 0) || now > deadline) {
                break;
            }
            if (now - lastProgress > PROGRESS_EVERY.toNanos()) {
                out.printf("plan: %d of %d links planned%n", planned, links);
                lastProgress = now;
            }
            pause(Duration.ofNanos(Math.max(Duration.ofMillis(50).toNanos(), Math.min(Duration.ofSeconds(2).toNanos(),
                    (now - began) / 20))));
        }
        long end = System.nanoTime();
        String figure = planned >= links
                ? String.format(Locale.ROOT, "**%.1f s** from the first link planned to the last, %d links (%d datasets "
                        + "× 2 targets); all planned %.1f s after the start, %.1f s after /health 200",
                seconds(end - firstAt), links, links / 2, seconds(end - began), seconds(end - readyAt))
                : String.format(Locale.ROOT, "**not finished %.0f s after the start**: %d of %d links planned (waited "
                + "no longer, --plan-wait)", seconds(end - began), planned, links);
        awaitHealthy(controller);
        row(Phase.PLAN, "first replication pass (establish and plan every link)", figure,
                String.format(Locale.ROOT, "links configured in the controller config (replication.tickSeconds 1), "
                        + "the controller restarted on the store (/health 200 after %.1f s); /api/replication/links "
                        + "polled from the start (every 50 ms to 2 s, a 20th of the time so far) until every link shows "
                        + "its full transfer ordered (the targets are empty)", seconds(readyAt == 0 ? end - began
                        : readyAt - began)));
        row(Phase.PLAN, "the same, in the store (the commands' side)", allStoredAt == 0
                ? "not finished: not every link's transfer stored (waited no longer, --plan-wait)"
                : String.format(Locale.ROOT, "**%.1f s** from the first link's transfer stored to the last; all stored "
                        + "%.1f s after the start", seconds(allStoredAt - firstStoredAt), seconds(allStoredAt - began)),
                "ReplicationScheduled rows in domain_event_entry, counted at each poll of the links until there is "
                        + "one per link: what the pass's commands cost without the views that show them");
    }

    /** Links whose plan ordered their (first, full) transfer. */
    private int plannedLinks() {
        int planned = 0;
        for (JsonNode link : readJson(get("/api/replication/links").body())) {
            if (link.hasNonNull("transfer")) {
                planned++;
            }
        }
        return planned;
    }

    // --- the controller -------------------------------------------------------------------------------------

    private ControllerApp startController(ControllerConfig with) {
        ControllerApp app = ControllerApp.start(with, store, Clock.systemUTC());
        awaitHealthy(app);
        return app;
    }

    /** Closes the controller, starts it again on the same store; returns the nanoseconds until /health said 200. */
    private long restart(ControllerConfig with) {
        controller.close();
        controller = null;
        long began = System.nanoTime();
        controller = ControllerApp.start(with, store, Clock.systemUTC());
        awaitHealthy(controller);
        return System.nanoTime() - began;
    }

    private void awaitHealthy(ControllerApp app) {
        waitFor("the controller's /health", () -> http(HttpRequest.newBuilder(uri(app, "/health")).GET().build())
                .statusCode() == 200, Duration.ofMillis(50));
    }

    // --- observing from outside -------------------------------------------------------------------------------

    /**
     * Waits until every consumer group of the cell that committed offsets on the agent-events topic has
     * committed its end (the consumer commits only after handling, so this cannot say "applied" early).
     */
    /** When the first commit was seen and how many facts it covered, and when the last one was. */
    record Applied(long firstAt, long appliedAtFirst, long doneAt) {
    }

    private Applied awaitApplied(String what, int facts) {
        long lastProgress = System.nanoTime();
        long deadline = System.nanoTime() + options.timeout().toNanos();
        long firstAt = 0;
        long appliedAtFirst = 0;
        while (true) {
            Map<TopicPartition, Long> ends = endOffsetsByPartition(topics.agentEvents());
            long behind = behind(ends);
            long now = System.nanoTime();
            if (firstAt == 0 && behind < facts) {
                firstAt = now;
                appliedAtFirst = facts - behind;
            }
            if (behind == 0) {
                return new Applied(firstAt, appliedAtFirst, now);
            }
            if (now > deadline) {
                throw new IllegalStateException(what + ": the controller had " + behind + " of " + facts
                        + " facts still to apply after " + options.timeout().toSeconds() + " s (--timeout)");
            }
            if (now - lastProgress > PROGRESS_EVERY.toNanos()) {
                out.printf("%s: %d facts still to apply, %d events stored%n", what, behind, storedEvents());
                lastProgress = now;
            }
            pause(Duration.ofMillis(50));
        }
    }

    /**
     * Records of the topic not yet committed by the slowest consuming group of the cell: every group with a member
     * assigned a partition of the topic counts, a partition it has not committed yet as 0 (all of them while no
     * group consumes). A group that passes over most facts (the controller's liveness consumer) cannot make the
     * facts look applied while the main consumer has not committed its first batch.
     */
    private final java.util.Set<String> consumingGroups = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private long behind(Map<TopicPartition, Long> ends) {
        try {
            java.util.Set<String> groups = admin.listConsumerGroups().all().get().stream()
                    .map(ConsumerGroupListing::groupId).filter(g -> g.startsWith(topics.prefix()))
                    .collect(Collectors.toCollection(java.util.TreeSet::new));
            String ordered = topics.groupId("controller"); // the ordered path's group counts, listed or not yet
            consumingGroups.add(ordered);
            if (!groups.contains(ordered)) {
                return ends.values().stream().mapToLong(Long::longValue).sum(); // it has committed nothing yet
            }
            Map<TopicPartition, Long> lowest = new HashMap<>();
            boolean anyConsumes = false;
            for (ConsumerGroupDescription group : admin.describeConsumerGroups(groups).all().get().values()) {
                boolean consumesTheTopic = group.members().stream()
                        .flatMap(m -> m.assignment().topicPartitions().stream())
                        .anyMatch(ends::containsKey);
                if (consumesTheTopic) {
                    consumingGroups.add(group.groupId()); // once seen, it counts (also while it rebalances)
                }
                if (!consumingGroups.contains(group.groupId())) {
                    continue;
                }
                anyConsumes = true;
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group.groupId())
                        .partitionsToOffsetAndMetadata().get();
                for (TopicPartition tp : ends.keySet()) {
                    OffsetAndMetadata offset = offsets.get(tp);
                    lowest.merge(tp, offset == null ? 0L : offset.offset(), Math::min);
                }
            }
            long behind = 0;
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                long low = anyConsumes ? lowest.getOrDefault(end.getKey(), 0L) : 0L;
                behind += Math.max(0, end.getValue() - low);
            }
            return behind;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading the consumer groups", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the consumer groups' offsets: " + e.getCause(), e);
        }
    }

    private long endOffsets(String topic) {
        return endOffsetsByPartition(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    private Map<TopicPartition, Long> endOffsetsByPartition(String topic) {
        try {
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                    .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading the offsets of " + topic, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the offsets of " + topic + ": " + e.getCause(), e);
        }
    }

    private long storedEvents() {
        try (Connection c = store.getConnection(); Statement s = c.createStatement()) {
            if (!hasEventTable(c)) {
                return 0;
            }
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM domain_event_entry")) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the events in the store: " + e.getMessage(), e);
        }
    }

    /** Events of {@code type} in the store. */
    private long storedEvents(Class<?> type) {
        try (Connection c = store.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM domain_event_entry WHERE payload_type = ?")) {
            s.setString(1, type.getName());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the " + type.getSimpleName() + " events in the store: "
                    + e.getMessage(), e);
        }
    }

    private static boolean hasEventTable(Connection c) throws SQLException {
        try (ResultSet t = c.getMetaData().getTables(null, null, "domain_event_entry", null)) {
            return t.next();
        }
    }

    /** Refuses a store that already holds events: every count here is of this run. */
    private void requireEmptyStore() {
        long events = storedEvents();
        if (events > 0) {
            throw new IllegalArgumentException("the store at " + options.jdbcUrl() + " already holds " + events
                    + " events; give --jdbc-url an empty database (the bench counts the events it makes)");
        }
    }

    private long waitFor(String what, BooleanSupplier condition, Duration every) {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return System.nanoTime();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": not seen within " + options.timeout().toSeconds()
                        + " s (--timeout)");
            }
            pause(every);
        }
    }

    private HttpResponse<String> get(String path) {
        return http(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    private HttpResponse<String> post(String path, String json) {
        return http(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private URI uri(String path) {
        return uri(controller, path);
    }

    private static URI uri(ControllerApp app, String path) {
        return URI.create("http://127.0.0.1:" + app.httpPort() + path);
    }

    private static HttpResponse<String> http(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("no answer from the controller to " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted asking " + request.uri(), e);
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("the controller answered no JSON: " + text, e);
        }
    }

    // --- the synthetic fleet ----------------------------------------------------------------------------------

    private ServerId server(int s) {
        return new ServerId(String.format(Locale.ROOT, "s%03d", s + 1));
    }

    /** {@code tank/s001-vm0001}: unique below the pool, so each link's target dataset is its own. */
    private DatasetName dataset(int s, int d) {
        return DatasetName.of(String.format(Locale.ROOT, "%s/%s-vm%04d", POOL.value(), server(s).value(), d + 1));
    }

    private static DatasetName historyDataset(int size) {
        return DatasetName.of(HISTORY_POOL.value() + "/history-" + size);
    }

    private SnapshotInfo snapshot(DatasetName dataset, String name, int index) {
        return new SnapshotInfo(dataset.snapshot(name), new Guid(guids.incrementAndGet()), 1000L + index,
                epoch.plus(Duration.ofHours(index)), 64L << 10, 1L << 30, 0);
    }

    private ProducerRecord<String, String> record(AgentFact fact) {
        String server = fact.server().value();
        return new ProducerRecord<>(topics.agentEvents(), server, CODEC.encode(CODEC.wrap(fact, "agent:" + server,
                Instant.now())));
    }

    // --- the report -------------------------------------------------------------------------------------------

    private String report(String failure) {
        StringBuilder s = new StringBuilder();
        s.append("\n## Controller throughput, `zsentinel bench fleet` (issue 10): ").append(options.label())
                .append(", measured ").append(LocalDate.now()).append("\n\n");
        s.append("`zsentinel bench fleet --servers ").append(options.servers()).append(" --datasets ")
                .append(options.datasets()).append(" --snapshots ").append(options.snapshots()).append(" --burst ")
                .append(options.burst()).append(options.histories().isEmpty() ? ""
                        : " --history " + options.histories().stream().map(String::valueOf).collect(Collectors.joining(",")))
                .append(options.only().size() == Phase.values().length ? ""
                        : " --only " + options.only().stream().map(Phase::label).collect(Collectors.joining(",")))
                .append("`: the real ControllerApp on ").append(options.jdbcUrl() == null ? "the embedded PostgreSQL"
                        : "an external PostgreSQL").append(" and the in-process Kafka broker (3 partitions), fed ")
                .append(options.facts()).append(" agent facts (per server a heartbeat, a pool report and one inventory "
                        + "of each dataset), produced while the controller was stopped, then absorbed at its start.\n\n");
        s.append("Machine: ").append(Machine.describe()).append("; load average (1, 5, 15 min) ").append(loadAtStart)
                .append(" at the start, ").append(Machine.loadAverage()).append(" at the end")
                .append("; heap max ").append(Runtime.getRuntime().maxMemory() >> 20).append(" MB.\n\n");
        s.append("| what | ").append(options.label()).append(" | how |\n|---|---|---|\n");
        for (Row r : rows) {
            s.append("| ").append(r.what()).append(" | ").append(r.figure()).append(" | ").append(r.how()).append(" |\n");
        }
        if (failure != null) {
            s.append("\nThe run stopped before the other phases: ").append(failure).append("\n");
        }
        return s.toString();
    }

    private static MemoryUsage heapAfterGc() {
        ManagementFactory.getMemoryMXBean().gc();
        ManagementFactory.getMemoryMXBean().gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    }

    private static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return -1;
    }

    // --- housekeeping -----------------------------------------------------------------------------------------

    private <T extends AutoCloseable> T opened(T closeable) {
        open.push(closeable);
        return closeable;
    }

    private synchronized void closeAll() {
        if (controller != null) {
            controller.close();
            controller = null;
        }
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (Exception e) {
                out.println("bench cleanup: " + e);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(Math.max(1, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
