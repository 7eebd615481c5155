package io.zsentinel.deploy.replication;

import io.zsentinel.core.ManualClock;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.deploy.config.LinkRule;
import io.zsentinel.deploy.config.PolicyRule;
import io.zsentinel.deploy.config.ReplicationConfig;
import io.zsentinel.deploy.config.RetentionConfig;
import io.zsentinel.deploy.controller.ViewInventory;
import io.zsentinel.deploy.retention.CapacityWatcher;
import io.zsentinel.deploy.retention.PoolUsage;
import io.zsentinel.deploy.retention.RetentionPolicies;
import io.zsentinel.deploy.retention.RetentionScheduler;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.replication.api.AssignRetentionPolicy;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.DatasetRegistered;
import io.zsentinel.replication.api.EvaluateRetention;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.api.link.LinkCommand;
import io.zsentinel.replication.api.link.EstablishAndPlan;
import io.zsentinel.replication.api.link.PlanReplication;
import io.zsentinel.replication.retention.RetentionPolicy;
import io.zsentinel.replication.schedule.ConfiguredLink;
import io.zsentinel.replication.schedule.LinkSchedule;
import io.zsentinel.replication.schedule.ReplicationInventory;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Issue 10's planning and retention passes over a fleet of {@code servers × datasets} (100 × 100, 10 snapshots
 * each) replicated to 2 targets, old design beside new, in one JVM. Not a test (its name keeps it out of
 * {@code mvn test}); run it on purpose and read the table:
 * <pre>
 * ./mvnw -B -q -o -pl deploy/controller -am test -Dtest=PlanningPassBench -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * Commands go to a gateway that accepts them at once (no aggregate, no store): the figures are what the
 * schedulers cost and how many commands a pass sends; each command costs an aggregate load and a transaction
 * on top (a few ms), which the count tells. The old replication pass walks every dataset of the view per link
 * side, as {@code ViewInventory} did before issue 10, and sends one blocking command after another.
 */
class PlanningPassBench {
    static final int SERVERS = Integer.getInteger("bench.servers", 100);
    static final int DATASETS = Integer.getInteger("bench.datasets", 100);
    static final int SNAPSHOTS = 10;
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    final SnapshotInventoryView view = new SnapshotInventoryView();
    final AtomicLong commands = new AtomicLong();
    final ManualClock clock = new ManualClock(T0);
    /** What the links answer to a plan: when to look again (null: only on a change). */
    volatile Supplier<Instant> lookAgainAt = () -> null;
    final CommandGateway gateway = (CommandGateway) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[]{CommandGateway.class}, (proxy, method, args) -> {
                if (method.getName().equals("sendAndWait") && args.length == 1) {
                    commands.incrementAndGet();
                    return args[0] instanceof PlanReplication || args[0] instanceof EstablishAndPlan ? lookAgainAt.get() : null;
                }
                throw new UnsupportedOperationException(method.getName());
            });
    final ReplicationConfig replication = new ReplicationConfig(null, List.of(
            new LinkRule("tank/vm*", null, "standby", "standby", "15m", null),
            new LinkRule("tank/vm*", null, "offsite", "offsite", "1h", null)));
    final RetentionConfig retention = new RetentionConfig(null, List.of(new PolicyRule("tank/vm*", null,
            Map.of("daily", 7), null, null, null, null, null, null, null, null, null, null)));
    final List<String> rows = new ArrayList<>();

    @Test
    void planningAndRetentionPasses() {
        fleet();
        rows.add("| pass | design | links or datasets checked | commands sent | ms |");
        rows.add("|---|---|---|---|---|");
        replication();
        retention();
        System.out.println("\nPlanning passes, " + SERVERS + " servers × " + DATASETS + " datasets × " + SNAPSHOTS
                + " snapshots, 2 link rules (" + Runtime.getRuntime().availableProcessors() + " cores, load "
                + String.format("%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())
                + ")\n" + String.join("\n", rows) + "\n");
    }

    void fleet() {
        for (int s = 0; s < SERVERS; s++) {
            for (int d = 0; d < DATASETS; d++) {
                DatasetId id = dataset(s, d);
                view.on(new DatasetRegistered(id, T0), T0);
                for (int n = 1; n <= SNAPSHOTS; n++) {
                    view.on(new SnapshotRecorded(id, snapshot(id, n), null, T0), T0);
                }
            }
        }
    }

    static DatasetId dataset(int server, int dataset) {
        return new DatasetId(ServerId.of(String.format("s%03d", server)), DatasetName.of(String.format("tank/vm%03d", dataset)));
    }

    static SnapshotInfo snapshot(DatasetId id, int n) {
        return new SnapshotInfo(id.dataset().snapshot("zsentinel_daily_" + n), new Guid(Objects.hash(id, n) & 0x7fffffffL),
                n, T0.plusSeconds(n), 1, 1);
    }

    void replication() {
        int links = SERVERS * DATASETS * 2;
        // before: every link of every dataset, each side read by a walk over the whole view, serial commands
        LinkSchedule old = new LinkSchedule(LinkScheduler.configured(replication), new WalkingInventory(view), new ReportedInventory(), l -> -1);
        int limit = Math.min(links, Integer.getInteger("bench.oldLinks", links));
        for (String pass : List.of("replication, first pass", "replication, every later pass")) {
            long before = commands.get();
            long start = System.nanoTime();
            int planned = 0;
            for (ConfiguredLink link : old.linksToPlan(T0)) {
                if (planned++ == limit) {
                    break;
                }
                for (LinkCommand c : old.orders(link, T0, null)) {
                    gateway.sendAndWait(c);
                }
            }
            long ms = ms(start);
            rows.add(row(pass, "before: every link, each side found by a walk over the view, serial", limit,
                    commands.get() - before, ms) + (limit < links ? " (the first " + limit + " links; all " + links
                    + " ≈ " + ms * links / limit + " ms)" : ""));
        }

        try (LinkScheduler scheduler = new LinkScheduler(replication, view, new ReportedInventory(), List::of, l -> -1,
                gateway, clock)) {
            // each link says its next transfer is due somewhere in the next 15 minutes (its interval), none within 2 s
            lookAgainAt = () -> clock.instant().plusSeconds(ThreadLocalRandom.current().nextLong(2, 900));
            pass("replication, first pass", "after", links, scheduler::tick);
            clock.advance(Duration.ofSeconds(1));
            lookAgainAt = () -> null;
            pass("replication, nothing changed or due", "after", links, scheduler::tick);
            clock.advance(Duration.ofSeconds(30));
            pass("replication, 30 s later: links due by time", "after", links, scheduler::tick);
            clock.advance(Duration.ofSeconds(1));
            for (int s = 0; s < SERVERS; s++) { // 1 % of the datasets got a snapshot
                DatasetId id = dataset(s, 0);
                view.on(new SnapshotRecorded(id, snapshot(id, SNAPSHOTS + 1), null, T0), T0);
            }
            pass("replication, 1 % of the datasets got a snapshot", "after", links, scheduler::tick);
        }
    }

    void retention() {
        int datasets = SERVERS * DATASETS;
        RetentionPolicies policies = new RetentionPolicies(retention, replication);
        // before: every dataset every tick; a policy compared with a map that answers null for "none yet"
        Map<DatasetId, Optional<RetentionPolicy>> assigned = new HashMap<>();
        ViewInventory inventory = new ViewInventory(view);
        Runnable oldTick = () -> {
            for (DatasetId id : inventory.datasets()) {
                Optional<RetentionPolicy> policy = policies.policyFor(id);
                if (!Objects.equals(assigned.get(id), policy)) {
                    gateway.sendAndWait(new AssignRetentionPolicy(id, policy.orElse(null), T0));
                    assigned.put(id, policy);
                }
                if (policy.isPresent()) {
                    gateway.sendAndWait(new EvaluateRetention(id, T0));
                }
            }
        };
        pass("retention, first pass", "before: every dataset every tick", datasets, oldTick);
        pass("retention, every later pass", "before", datasets, oldTick);

        try (RetentionScheduler scheduler = new RetentionScheduler(retention, policies, view, gateway,
                new CapacityWatcher(policies, view, new PoolUsage(clock), gateway), clock)) {
            clock.set(T0);
            pass("retention, first pass", "after", datasets, scheduler::tick);
            clock.advance(Duration.ofSeconds(30));
            pass("retention, nothing changed or due", "after", datasets, scheduler::tick);
            clock.set(Instant.parse("2026-11-26T00:00:00Z"));
            pass("retention, midnight (a daily slot falls due)", "after", datasets, scheduler::tick);
        }
        RetentionPolicies none = new RetentionPolicies(new RetentionConfig(null, List.of()), replication);
        Map<DatasetId, Optional<RetentionPolicy>> oldAssigned = new HashMap<>();
        pass("retention, start without any policy", "before", datasets, () -> {
            for (DatasetId id : inventory.datasets()) {
                if (!Objects.equals(oldAssigned.get(id), none.policyFor(id))) { // null never equals Optional.empty()
                    gateway.sendAndWait(new AssignRetentionPolicy(id, null, T0));
                }
            }
        });
        try (RetentionScheduler scheduler = new RetentionScheduler(new RetentionConfig(null, List.of()), none, view,
                gateway, new CapacityWatcher(none, view, new PoolUsage(clock), gateway), clock)) {
            pass("retention, start without any policy", "after", datasets, scheduler::tick);
        }
    }

    void pass(String what, String design, int lookedAt, Runnable pass) {
        long before = commands.get();
        long start = System.nanoTime();
        pass.run();
        rows.add(row(what, design, lookedAt, commands.get() - before, ms(start)));
    }

    static String row(String what, String design, long lookedAt, long sent, long ms) {
        return "| " + what + " | " + design + " | " + String.format("%,d", lookedAt) + " | " + String.format("%,d", sent)
                + " | " + String.format("%,d", ms) + " |";
    }

    static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** The inventory port as it was before issue 10: a dataset's snapshots found by walking every dataset of the view. */
    record WalkingInventory(SnapshotInventoryView view) implements ReplicationInventory {
        @Override
        public List<DatasetId> datasets() {
            return new ViewInventory(view).datasets();
        }

        @Override
        public List<DatasetId> datasets(ServerId server) {
            return new ViewInventory(view).datasets(server);
        }

        @Override
        public List<SnapshotInfo> snapshots(DatasetId dataset) {
            return view.snapshots(dataset.dataset(), Optional.of(dataset.server())).stream()
                    .map(s -> new SnapshotInfo(SnapshotName.parse(s.name()), Guid.parse(s.guid()), s.createtxg(),
                            s.created(), s.usedBytes(), s.referencedBytes())).toList();
        }

        @Override
        public long version(DatasetId dataset) {
            return -1;
        }

        @Override
        public Optional<RetentionPolicy> assignedPolicy(DatasetId dataset) {
            return Optional.empty();
        }
    }
}
