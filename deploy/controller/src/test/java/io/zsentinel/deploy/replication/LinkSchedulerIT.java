package io.zsentinel.deploy.replication;

import com.zaxxer.hikari.HikariDataSource;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.config.LinkRule;
import io.zsentinel.deploy.config.ReplicationConfig;
import io.zsentinel.deploy.controller.OneTransaction;
import io.zsentinel.deploy.store.Aggregates;
import io.zsentinel.deploy.store.AxonStore;
import io.zsentinel.deploy.store.ExternalPostgres;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.DatasetRegistered;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.api.link.EstablishLink;
import io.zsentinel.replication.api.link.LinkCommand;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.ReplicationLinkEstablished;
import io.zsentinel.replication.api.link.ReplicationScheduled;
import io.zsentinel.replication.link.ReplicationLinkAggregate;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10, the first replication pass on PostgreSQL with the real ReplicationLink aggregate: its links go many to a
 * transaction (one EstablishAndPlan each; establishing a link reads nothing), a controller stopped midway leaves every
 * link established once or not at all, and a link refused in a batch costs the others of its batch nothing but a
 * second try.
 */
class LinkSchedulerIT {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    /** Links in the pass: three transactions of {@link LinkScheduler#LINKS_PER_TRANSACTION}, the last one partly full. */
    private static final int LINKS = 250;
    private static HikariDataSource dataSource;

    private final ServerId primary = ServerId.of("first-" + UUID.randomUUID().toString().substring(0, 8));
    private final ReplicationConfig config = new ReplicationConfig(null, List.of(
            new LinkRule("tank/vm*", primary.value(), "standby", "backup", "15m", null)));
    private final SnapshotInventoryView view = new SnapshotInventoryView();
    private AxonStore store;
    private Configuration axon;

    @BeforeAll
    static void connect() {
        dataSource = ExternalPostgres.connectOrSkip();
    }

    @AfterAll
    static void close() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @BeforeEach
    void start() {
        for (int d = 0; d < LINKS; d++) {
            DatasetId dataset = source(d);
            view.on(new DatasetRegistered(dataset, T0), T0);
            view.on(new SnapshotRecorded(dataset, new SnapshotInfo(dataset.dataset().snapshot("daily-1"),
                    new Guid(1_000L + d), 10, T0, 100, 200), null, T0), T0);
        }
        startController();
    }

    @AfterEach
    void stop() {
        axon.shutdown();
    }

    /** A controller's Axon on the store; its aggregate cache starts empty, as after a restart. */
    private void startController() {
        store = AxonStore.create(dataSource);
        axon = store.configure(AxonStore.newConfigurer())
                .configureAggregate(Aggregates.cachedAndSnapshotted(ReplicationLinkAggregate.class, 1_000, 250))
                .buildConfiguration();
        axon.start();
    }

    private void restartController() {
        axon.shutdown();
        startController();
    }

    private DatasetId source(int d) {
        return new DatasetId(primary, DatasetName.of(name("tank", d)));
    }

    private LinkId link(int d) {
        return new LinkId(source(d), new DatasetId(ServerId.of("standby"), DatasetName.of(name("backup", d))));
    }

    /** Numbered so that the view's order (by name) is the numbers' order: vm000, vm001, ... */
    private static String name(String root, int d) {
        return String.format("%s/vm%03d", root, d);
    }

    private LinkScheduler scheduler(CommandGateway gateway) {
        return new LinkScheduler(config, view, new ReportedInventory(), List::of, link -> -1, gateway,
                new OneTransaction(axon.getComponent(TransactionManager.class), store), Clock.fixed(T0, ZoneOffset.UTC));
    }

    /** The controller's gateway, but {@code fails} (a command) is thrown instead of sending a command it matches. */
    private CommandGateway failing(Predicate<LinkCommand> matches, Throwable fails) {
        CommandGateway real = axon.commandGateway();
        return (CommandGateway) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{CommandGateway.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sendAndWait") && args.length == 1) {
                        if (matches.test((LinkCommand) args[0])) {
                            throw fails;
                        }
                        return real.sendAndWait(args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** The payload types of the link's events, in order of their sequence numbers (0 first). */
    private List<String> history(LinkId link) throws SQLException {
        List<String> types = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select sequence_number, payload_type from domain_event_entry "
                     + "where aggregate_identifier = ? order by sequence_number")) {
            s.setString(1, link.toString());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    assertEquals(types.size(), rs.getLong(1), "sequence numbers of " + link + " without a gap");
                    types.add(rs.getString(2));
                }
            }
        }
        return types;
    }

    private long count(List<String> history, Class<?> type) {
        return history.stream().filter(type.getName()::equals).count();
    }

    /** Transactions that stored the events of this run's links (PostgreSQL's xmin: the inserting transaction). */
    private long transactions() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select count(distinct xmin::text) from domain_event_entry "
                     + "where aggregate_identifier like ?")) {
            s.setString(1, primary.value() + ":%");
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Each link's history starts with its one establishment and holds its one first transfer. */
    private void assertEstablishedAndPlannedOnce(int d) throws SQLException {
        List<String> history = history(link(d));
        assertTrue(!history.isEmpty() && history.get(0).equals(ReplicationLinkEstablished.class.getName()),
                "link " + d + " starts with its establishment: " + history);
        assertEquals(1, count(history, ReplicationLinkEstablished.class), "link " + d + ": " + history);
        assertEquals(1, count(history, ReplicationScheduled.class), "link " + d + ": " + history);
    }

    @Test
    void aFirstPassEstablishesAndPlansItsLinksManyToATransaction() throws Exception {
        assertTrue(link(0).toString().startsWith(primary.value() + ":"), "the aggregate identifier is the link's");
        try (LinkScheduler scheduler = scheduler(axon.commandGateway())) {
            scheduler.tick();
        }
        for (int d = 0; d < LINKS; d++) {
            assertEstablishedAndPlannedOnce(d);
        }
        // Before: a transaction per command, two per link that stored events (establish, plan): 500.
        assertEquals((LINKS + LinkScheduler.LINKS_PER_TRANSACTION - 1) / LinkScheduler.LINKS_PER_TRANSACTION,
                transactions(), "one transaction per " + LinkScheduler.LINKS_PER_TRANSACTION + " links");
    }

    @Test
    void aControllerStoppedMidwayThroughTheFirstPassLeavesEveryLinkEstablishedOnceOrNotAtAll() throws Exception {
        // The controller dies while planning link 150: that transaction (links 100-199) never commits, nor does any
        // after it (an Error, as the controller stops: not a refusal the batch would retry link by link).
        Error killed = new Error("controller killed midway through the first pass (simulated)");
        try (LinkScheduler scheduler = scheduler(failing(c -> c.linkId().source().dataset().value()
                .compareTo(name("tank", 150)) >= 0, killed))) {
            scheduler.tick();
        }
        int committed = 0;
        for (int d = 0; d < LINKS; d++) {
            List<String> history = history(link(d));
            if (!history.isEmpty()) {
                committed++;
                assertEstablishedAndPlannedOnce(d);
            }
        }
        assertEquals(LinkScheduler.LINKS_PER_TRANSACTION, committed, "only the transaction of links 0-99 committed");

        // The next start's first pass establishes every link again: nothing twice, nothing missing.
        restartController();
        try (LinkScheduler scheduler = scheduler(axon.commandGateway())) {
            scheduler.tick();
        }
        for (int d = 0; d < LINKS; d++) {
            assertEstablishedAndPlannedOnce(d);
        }
    }

    @Test
    void aLinkRefusedInABatchCostsTheOthersOfItsBatchOnlyASecondTry() throws Exception {
        LinkId refused = link(42);
        Predicate<LinkCommand> itsPlans = c -> c.linkId().equals(refused) && !(c instanceof EstablishLink);
        try (LinkScheduler scheduler = scheduler(failing(itsPlans,
                new IllegalStateException("link aggregate unavailable (simulated)")))) {
            scheduler.tick();
            for (int d = 0; d < LINKS; d++) {
                if (d != 42) {
                    assertEstablishedAndPlannedOnce(d);
                }
            }
            assertEquals(List.of(), history(refused), "established with its first plan or not at all");

            scheduler.tick();
            assertEquals(List.of(ReplicationLinkEstablished.class.getName()), history(refused),
                    "after a failure, established apart: it shows while its plans fail");
        }
        try (LinkScheduler scheduler = scheduler(axon.commandGateway())) {
            scheduler.tick();
        }
        assertEstablishedAndPlannedOnce(42);
    }
}
