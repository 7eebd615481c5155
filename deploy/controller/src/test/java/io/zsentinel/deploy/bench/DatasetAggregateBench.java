package io.zsentinel.deploy.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.store.AxonStore;
import io.zsentinel.deploy.store.DataSources;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.ReconcileInventory;
import io.zsentinel.replication.dataset.DatasetAggregate;
import io.zsentinel.replication.retention.SnapshotClass;
import io.zsentinel.replication.retention.SnapshotNaming;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Function;

/**
 * Issue 10's Dataset aggregate figures, printed as a Markdown table (a harness, not a test; no
 * assertion on time). Runs against the code it is compiled with, so the same file measures the
 * design before the change (checked out elsewhere) and after it:
 * <ul>
 * <li>decide + evolve a first inventory of 1,000 and 10,000 snapshots: one {@code ReconcileInventory}
 * through Axon's command bus to a new Dataset aggregate, in-memory event store;</li>
 * <li>load a dataset with 10,000 snapshots in its history from PostgreSQL when it is not in memory
 * (no aggregate cache): from its Axon snapshot (only where the build takes them) and from all its
 * events; the snapshot's size and the time Jackson takes to read it into the aggregate;</li>
 * <li>the same for the JSON of a dataset of 10,000 snapshots named as zsentinel names them, with random
 * guids (the bench's own names and guids above are short).</li>
 * </ul>
 * Usage: {@code java -cp … io.zsentinel.deploy.bench.DatasetAggregateBench [label]} with
 * {@code ZSENTINEL_TEST_PG_URL}, {@code _USER}, {@code _PASSWORD} set.
 */
public final class DatasetAggregateBench {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final int WARM_UPS = Integer.getInteger("bench.warmups", 2);
    private static final int SNAPSHOT_EVERY = 250;

    private DatasetAggregateBench() {
    }

    public static void main(String[] args) throws Exception {
        String label = args.length > 0 ? args[0] : "this build";
        // the build takes snapshots (and can read them) where it has the controller's Aggregates set-up
        boolean snapshots = classExists("io.zsentinel.deploy.store.Aggregates");
        List<String> rows = new ArrayList<>();
        for (int n : new int[] {1_000, 10_000}) {
            rows.add(row("decide + evolve a first inventory of " + n + " snapshots (in-memory store)",
                    firstInventory(n)));
        }
        try (HikariDataSource dataSource = DataSources.pooled(System.getenv("ZSENTINEL_TEST_PG_URL"),
                System.getenv("ZSENTINEL_TEST_PG_USER"), System.getenv("ZSENTINEL_TEST_PG_PASSWORD"))) {
            DatasetId id = dataset();
            Configuration writer = withStore(AxonStore.create(dataSource), snapshots);
            try {
                writer.commandGateway().sendAndWait(inventory(id, 10_000));
            } finally {
                writer.shutdown();
            }
            if (snapshots) {
                rows.add(row("load (not in memory), 10,000 snapshots in the history (10,001 events), from its snapshot",
                        coldLoads(dataSource, id, true)));
                rows.add("| the first of those loads in this JVM (its code not compiled yet) | " + firstRoundMs + " | | |");
                byte[] payload = snapshotPayload(dataSource, id);
                rows.add("| its snapshot's payload in PostgreSQL | " + payload.length / 1024 + " KiB | | |");
                ObjectMapper json = AxonStore.objectMapper();
                rows.add(row("of which Jackson reading the payload into the aggregate", timed(
                        () -> json.readValue(payload, DatasetAggregate.class))));
            }
            deleteSnapshots(dataSource, id);
            rows.add(row("load (not in memory), 10,000 snapshots in the history (10,001 events), all events replayed",
                    coldLoads(dataSource, id, false)));
        }
        byte[] named = aggregateJson(zsentinelNamed(dataset(), 10_000));
        rows.add("| the aggregate's JSON (what Axon snapshots) with zsentinel's names and random guids, 10,000 snapshots | "
                + named.length / 1024 + " KiB | | |");
        ObjectMapper json = AxonStore.objectMapper();
        rows.add(row("of which Jackson reading it into the aggregate", timed(() -> json.readValue(named, DatasetAggregate.class))));
        System.out.println();
        System.out.println("Dataset aggregate, " + label + ": " + machine());
        System.out.println();
        System.out.println("| what | median ms | min ms | max ms (" + ROUNDS + " rounds after " + WARM_UPS + " warm-ups) |");
        System.out.println("|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static long[] firstInventory(int n) {
        Configurer configurer = AxonStore.newConfigurer()
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine());
        Configuration axon = configurer.configureAggregate(DatasetAggregate.class).buildConfiguration();
        axon.start();
        try {
            return timed(() -> axon.commandGateway().sendAndWait(inventory(dataset(), n)));
        } finally {
            axon.shutdown();
        }
    }

    /**
     * Loads of an aggregate that is not in memory (evicted, or the first command after a start) in a
     * running controller: no aggregate cache, so every load reads the store.
     */
    private static long[] coldLoads(HikariDataSource dataSource, DatasetId id, boolean withSnapshot) {
        Configuration axon = withStore(AxonStore.create(dataSource), withSnapshot);
        try {
            return timed(() -> {
                DefaultUnitOfWork<?> uow = DefaultUnitOfWork.startAndGet(null);
                var result = uow.executeWithResult(() -> axon.repository(DatasetAggregate.class).load(id.toString())
                        .invoke(Function.identity()));
                if (result.isExceptional()) {
                    throw new IllegalStateException("cannot load " + id, result.exceptionResult());
                }
                return result.getPayload();
            });
        } finally {
            axon.shutdown();
        }
    }

    /** Datasets on the store, without an aggregate cache; with snapshots every SNAPSHOT_EVERY events if asked. */
    private static Configuration withStore(AxonStore store, boolean snapshots) {
        AggregateConfigurer<DatasetAggregate> dataset = AggregateConfigurer.defaultConfiguration(DatasetAggregate.class);
        if (snapshots) {
            dataset.configureSnapshotTrigger(c -> new EventCountSnapshotTriggerDefinition(c.snapshotter(), SNAPSHOT_EVERY));
        }
        Configuration axon = store.configure(AxonStore.newConfigurer()).configureAggregate(dataset).buildConfiguration();
        axon.start();
        return axon;
    }

    private interface Timed {
        Object run() throws Exception;
    }

    /** The first warm-up of the last {@link #timed} call, in ms. */
    private static long firstRoundMs;

    /** WARM_UPS warm-ups, then ROUNDS rounds, in ms. */
    private static long[] timed(Timed work) {
        long[] ms = new long[ROUNDS];
        for (int i = -WARM_UPS; i < ROUNDS; i++) {
            long t0 = System.nanoTime();
            try {
                work.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            long took = System.nanoTime() - t0;
            if (i >= 0) {
                ms[i] = Duration.ofNanos(took).toMillis();
            } else if (i == -WARM_UPS) {
                firstRoundMs = Duration.ofNanos(took).toMillis();
            }
        }
        return ms;
    }

    private static String row(String what, long[] ms) {
        long[] sorted = ms.clone();
        Arrays.sort(sorted);
        return "| " + what + " | " + sorted[sorted.length / 2] + " | " + sorted[0] + " | " + sorted[sorted.length - 1] + " |";
    }

    private static DatasetId dataset() {
        return new DatasetId(ServerId.of("bench-" + UUID.randomUUID().toString().substring(0, 8)), DatasetName.of("tank/vm"));
    }

    private static ReconcileInventory inventory(DatasetId id, int n) {
        List<SnapshotInfo> snapshots = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            snapshots.add(new SnapshotInfo(id.dataset().snapshot("auto-" + i), new Guid(1_000_000L + i), 100L + i,
                    T0.plusSeconds(3600L * i), 4096, 8192));
        }
        return new ReconcileInventory(id, snapshots, T0.plusSeconds(3600L * n), UUID.randomUUID());
    }

    /** n snapshots named as zsentinel names them (every 15 minutes), each with a random 64-bit guid. */
    private static ReconcileInventory zsentinelNamed(DatasetId id, int n) {
        SplittableRandom random = new SplittableRandom(10);
        List<SnapshotInfo> snapshots = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Instant slot = T0.plusSeconds(900L * i);
            snapshots.add(new SnapshotInfo(id.dataset().snapshot(SnapshotNaming.name(SnapshotClass.FREQUENTLY, slot)),
                    new Guid(random.nextLong()), 100L + i, slot, 4096, 8192));
        }
        return new ReconcileInventory(id, snapshots, T0.plusSeconds(900L * n), UUID.randomUUID());
    }

    /** The JSON of the aggregate {@code inventory} creates, as Axon's snapshotter writes it (in-memory store). */
    private static byte[] aggregateJson(ReconcileInventory inventory) throws Exception {
        Configuration axon = AxonStore.newConfigurer().configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine())
                .configureAggregate(DatasetAggregate.class).buildConfiguration();
        axon.start();
        try {
            axon.commandGateway().sendAndWait(inventory);
            DefaultUnitOfWork<?> uow = DefaultUnitOfWork.startAndGet(null);
            var result = uow.executeWithResult(() -> axon.repository(DatasetAggregate.class)
                    .load(inventory.id().toString()).invoke(Function.identity()));
            if (result.isExceptional()) {
                throw new IllegalStateException("cannot load " + inventory.id(), result.exceptionResult());
            }
            return AxonStore.objectMapper().writeValueAsBytes(result.getPayload());
        } finally {
            axon.shutdown();
        }
    }

    private static byte[] snapshotPayload(HikariDataSource dataSource, DatasetId id) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select payload from snapshot_event_entry where aggregate_identifier = ?"
                     + " order by sequence_number desc limit 1")) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no snapshot of " + id);
                }
                return rs.getBytes(1);
            }
        }
    }

    private static void deleteSnapshots(HikariDataSource dataSource, DatasetId id) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from snapshot_event_entry where aggregate_identifier = ?")) {
            ps.setString(1, id.toString());
            ps.executeUpdate();
        }
    }

    private static boolean classExists(String name) {
        try {
            Class.forName(name);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static String machine() {
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 2)).orElse("?");
        } catch (Exception ignored) {
            // not Linux
        }
        String load = "?";
        try {
            load = Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception ignored) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), Java "
                + System.getProperty("java.version") + ", max heap "
                + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax() / (1024 * 1024) + " MiB, load average "
                + load + " at " + Instant.now();
    }
}
