package io.zsentinel.deploy.lease;

import com.zaxxer.hikari.HikariDataSource;
import io.zsentinel.deploy.store.ExternalPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The controller lease on a real PostgreSQL: one holder, a higher epoch on takeover, a lapsed holder cannot renew. */
class ControllerLeaseIT {
    private static final Duration SHORT = Duration.ofMillis(800);
    private HikariDataSource db;
    private String cell;
    private final List<LeaseKeeper> keepers = new ArrayList<>();

    @BeforeEach
    void connect() {
        db = ExternalPostgres.connectOrSkip();
        cell = "lease-" + UUID.randomUUID();
    }

    @AfterEach
    void close() {
        keepers.forEach(LeaseKeeper::abandon);
        if (db != null) {
            db.close();
        }
    }

    private ControllerLease lease(Duration ttl) {
        return new ControllerLease(db, cell, ttl).createTable();
    }

    @Test
    void aFreeLeaseIsTakenAtEpochOneAndALiveHolderKeepsIt() {
        ControllerLease a = lease(Duration.ofSeconds(30));
        ControllerLease b = lease(Duration.ofSeconds(30));
        assertEquals(Optional.of(1L), a.tryAcquire("a"));
        assertEquals(Optional.empty(), b.tryAcquire("b"), "a live lease is not taken");
        assertTrue(a.renew("a", 1));
        assertFalse(b.renew("b", 1), "only the holder renews");
        ControllerLease.Holder now = b.current().orElseThrow();
        assertEquals("a", now.holder());
        assertEquals(1, now.epoch());
        assertTrue(now.live());
    }

    @Test
    void aLapsedLeaseIsTakenAtAHigherEpochAndItsFormerHolderCannotRenewIt() {
        ControllerLease a = lease(SHORT);
        ControllerLease b = lease(SHORT);
        assertEquals(Optional.of(1L), a.tryAcquire("a"));
        long taken = await().atMost(Duration.ofSeconds(10)).until(() -> b.tryAcquire("b"), Optional::isPresent).get();
        assertEquals(2, taken);
        assertFalse(a.renew("a", 1), "the deposed holder's renewal fails");
        assertTrue(b.renew("b", 2));
        assertEquals("b", a.current().orElseThrow().holder());
    }

    @Test
    void aReleasedLeaseIsTakenAtOnce() {
        ControllerLease a = lease(Duration.ofSeconds(30));
        ControllerLease b = lease(Duration.ofSeconds(30));
        assertEquals(Optional.of(1L), a.tryAcquire("a"));
        a.release("a", 1);
        assertEquals(Optional.of(2L), b.tryAcquire("b"));
        assertFalse(a.renew("a", 1));
    }

    @Test
    void ofControllersTryingAtOnceExactlyOneTakesTheLease() throws Exception {
        int contenders = 8;
        for (long round = 1; round <= 2; round++) {
            ControllerLease lease = lease(Duration.ofSeconds(30));
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(contenders);
            try {
                List<Future<Optional<Long>>> tries = new ArrayList<>();
                for (int i = 0; i < contenders; i++) {
                    String holder = "c" + i;
                    Callable<Optional<Long>> attempt = () -> {
                        go.await();
                        return lease.tryAcquire(holder);
                    };
                    tries.add(pool.submit(attempt));
                }
                go.countDown();
                List<Long> won = new ArrayList<>();
                for (Future<Optional<Long>> f : tries) {
                    f.get().ifPresent(won::add);
                }
                assertEquals(List.of(round), won, "one winner, at the next epoch");
                ControllerLease.Holder holder = lease.current().orElseThrow();
                lease.release(holder.holder(), holder.epoch()); // the next round competes for a lapsed lease
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aKeeperThatLosesItsLeaseStopsAtOnceAndTheStandbyTakesOverAtAHigherEpoch() {
        Roles first = new Roles();
        Roles second = new Roles();
        LeaseKeeper a = keeper("a", first);
        assertEquals(List.of("active 1"), first.changes, "a free lease is taken before start returns");
        assertEquals(1, a.epoch());
        LeaseKeeper b = keeper("b", second);
        assertTrue(second.changes.isEmpty());
        assertFalse(b.status().active());
        assertTrue(b.status().detail().contains("a is active at epoch 1"), b.status().detail());
        assertThrows(LeaseKeeper.LeaseLost.class, b::epoch, "a standby orders nothing");

        a.abandon(); // stops renewing, as a killed controller: the lease lapses
        assertEquals(List.of("active 1", "passive"), first.changes);
        assertThrows(LeaseKeeper.LeaseLost.class, a::epoch);
        await().atMost(Duration.ofSeconds(10)).until(() -> second.changes.contains("active 2"));
        assertEquals(2, b.epoch());
        assertTrue(b.status().active());
    }

    @Test
    void aKeeperWhoseLeaseWasTakenBecomesPassiveAndRefusesToOrder() throws Exception {
        Roles roles = new Roles();
        LeaseKeeper a = keeper("a", roles);
        assertEquals(1, a.epoch());
        // another controller takes the row from under it (as after a pause longer than the ttl)
        try (var c = db.getConnection(); var s = c.prepareStatement(
                "UPDATE " + ControllerLease.TABLE + " SET holder = 'b', epoch = 2, expires_at = now() + interval '1 minute'"
                        + " WHERE cell = ?")) {
            s.setString(1, cell);
            assertEquals(1, s.executeUpdate());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> roles.changes.contains("passive"));
        assertThrows(LeaseKeeper.LeaseLost.class, a::epoch);
        assertTrue(a.status().detail().contains("now b at epoch 2"), a.status().detail());
    }

    @Test
    void theGuardOfAnActivationRefusesOnceTheSameControllerHoldsTheLeaseAgainAtANewEpoch() throws Exception {
        Roles roles = new Roles();
        LeaseKeeper a = keeper("a", roles);
        java.util.function.LongSupplier first = a.at(1);
        assertEquals(1, first.getAsLong());
        // the lease lapses under it (as after a store outage longer than the ttl); it is free, so a takes it again
        try (var c = db.getConnection(); var s = c.prepareStatement(
                "UPDATE " + ControllerLease.TABLE + " SET expires_at = now() WHERE cell = ?")) {
            s.setString(1, cell);
            assertEquals(1, s.executeUpdate());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> roles.changes.contains("active 2"));
        assertEquals(List.of("active 1", "passive", "active 2"), roles.changes);
        LeaseKeeper.LeaseLost refused = assertThrows(LeaseKeeper.LeaseLost.class, first::getAsLong,
                "the parts the first activation started, still closing, act under no epoch");
        assertTrue(refused.getMessage().contains("epoch 2, not at 1"), refused.getMessage());
        assertEquals(2, a.at(2).getAsLong());
    }

    @Test
    void aKeeperThatResignsLeavesTheLeaseToTheOtherController() {
        Roles first = new Roles();
        Roles second = new Roles();
        LeaseKeeper a = keeper("a", first);
        LeaseKeeper b = keeper("b", second);
        a.resign("could not start");
        await().atMost(Duration.ofSeconds(5)).until(() -> second.changes.contains("active 2"));
        assertThrows(LeaseKeeper.LeaseLost.class, a::epoch);
        assertTrue(a.status().detail().contains("gave up the lease of epoch 1: could not start"), a.status().detail());
        assertEquals(List.of("active 1"), first.changes, "it asks no more while it keeps quiet");
    }

    private LeaseKeeper keeper(String holder, Roles roles) {
        LeaseKeeper keeper = new LeaseKeeper(lease(SHORT), holder, Duration.ofMillis(200), roles).start();
        keepers.add(keeper);
        return keeper;
    }

    private static final class Roles implements LeaseKeeper.Roles {
        final List<String> changes = new CopyOnWriteArrayList<>();

        @Override
        public void active(long epoch) {
            changes.add("active " + epoch);
        }

        @Override
        public void passive(String why) {
            changes.add("passive");
        }
    }
}
