package io.zsentinel.deploy.retention;

import io.zsentinel.core.messages.facts.PoolHealthReported;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.config.PolicyRule;
import io.zsentinel.deploy.config.RetentionConfig;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.DatasetRegistered;
import io.zsentinel.replication.api.PruneDecision;
import io.zsentinel.replication.api.PruneForCapacity;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.schedule.CapacitySchedule;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One prune at a time per pool, and what ends the wait for it: the destroy reported, or the agent's refusal. */
class CapacityWatcherTest {
    static final ServerId SERVER = ServerId.of("primary");
    static final PoolName POOL = PoolName.of("tank");
    static final DatasetId VM1 = new DatasetId(SERVER, DatasetName.of("tank/vm1"));
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    final List<PruneForCapacity> offers = new ArrayList<>();
    final PoolUsage usage = new PoolUsage(Clock.fixed(T0, ZoneOffset.UTC));
    final SnapshotInventoryView inventory = new SnapshotInventoryView();
    final CapacityWatcher watcher = new CapacityWatcher(new RetentionPolicies(new RetentionConfig(null,
            List.of(new PolicyRule("tank/**", null, null, null, null, null, null, null, null, 70, null, null, null)))), inventory, usage,
            gateway());

    CommandGateway gateway() {
        return (CommandGateway) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{CommandGateway.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sendAndWait") && args[0] instanceof PruneForCapacity p) {
                        offers.add(p);
                        return PruneDecision.accepted("test");
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    void given(long... guids) {
        inventory.on(new DatasetRegistered(VM1, T0), T0);
        for (long g : guids) {
            SnapshotInfo s = new SnapshotInfo(VM1.dataset().snapshot("zsentinel_hourly_" + g), new Guid(g), g, T0, 1, 1);
            inventory.on(new SnapshotRecorded(VM1, s, null, T0), T0);
        }
        usage.accept(new PoolHealthReported(SERVER, POOL, PoolHealth.ONLINE, 80, 100, 80, 0, 0, 0, "", T0));
    }

    @Test
    void theNextOfferWaitsForThePreviousPrune() {
        given(1, 2, 3);
        watcher.tick(T0);
        watcher.tick(T0.plusSeconds(5));
        usage.accept(new PoolHealthReported(SERVER, POOL, PoolHealth.ONLINE, 80, 100, 80, 0, 0, 0, "", T0));
        watcher.tick(T0.plusSeconds(10));
        assertEquals(List.of(new Guid(1)), offers.stream().map(PruneForCapacity::guid).toList(),
                "no destroy reported yet: a usage report alone does not end the wait");
    }

    @Test
    void anAgentsRefusalEndsTheWaitAtOnce() {
        given(1, 2, 3);
        watcher.tick(T0);
        usage.destroyRefused(SERVER, POOL); // e.g. held after the inventory the prune was chosen from
        watcher.tick(T0.plusSeconds(5));
        assertEquals(2, offers.size(), "offered again without waiting " + CapacitySchedule.GIVE_UP_AFTER);
    }

    @Test
    void aRefusalOnAnotherPoolOrFromBeforeTheOfferChangesNothing() {
        given(1, 2, 3);
        usage.destroyRefused(SERVER, POOL); // before the offer
        watcher.tick(T0);
        usage.destroyRefused(SERVER, PoolName.of("other"));
        watcher.tick(T0.plusSeconds(5));
        assertEquals(1, offers.size());
    }
}
