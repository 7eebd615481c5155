package io.zsentinel.deploy.replication;

import io.zsentinel.deploy.config.LinkRule;
import io.zsentinel.deploy.config.ReplicationConfig;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.replication.api.DatasetRegistered;
import io.zsentinel.replication.api.SnapshotRecorded;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.zsentinel.deploy.replication.LinkSchedulerTickTest.SOURCE;
import static io.zsentinel.deploy.replication.LinkSchedulerTickTest.T0;
import static io.zsentinel.deploy.replication.LinkSchedulerTickTest.snap;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 10: at a start the views are rebuilt from the store, and the scheduler plans nothing on them until they are
 * (neither by tick nor for a snapshot recorded); then its first pass plans every link once (not a link again and again
 * as its inventory fills).
 */
class LinkSchedulerStartTest {
    private final List<Object> sent = new CopyOnWriteArrayList<>();

    private CommandGateway gateway() {
        return (CommandGateway) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{CommandGateway.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sendAndWait") && args.length == 1) {
                        sent.add(args[0]);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void nothingIsPlannedUntilTheViewsAreRebuilt() {
        SnapshotInventoryView view = new SnapshotInventoryView();
        view.on(new DatasetRegistered(SOURCE, T0), T0);
        view.on(new SnapshotRecorded(SOURCE, snap("s1", 1), null, T0), T0);
        AtomicBoolean rebuilt = new AtomicBoolean();
        AtomicInteger asked = new AtomicInteger();
        try (LinkScheduler scheduler = new LinkScheduler(
                new ReplicationConfig(1, List.of(new LinkRule("primary/vm*", "primary", "standby", "standby", "1m", null))),
                view, new ReportedInventory(), List::of, link -> -1, gateway(), Clock.fixed(T0, ZoneOffset.UTC))) {
            scheduler.start(() -> {
                asked.incrementAndGet();
                return rebuilt.get();
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> asked.get() >= 2);
            scheduler.snapshotRecorded(SOURCE, snap("s2", 2));
            assertEquals(List.of(), sent, "two ticks and a new snapshot while the views were being rebuilt: nothing planned");

            rebuilt.set(true);
            await().atMost(Duration.ofSeconds(30)).until(() -> !sent.isEmpty());
            assertEquals(List.of("EstablishAndPlan"),
                    sent.stream().map(c -> c.getClass().getSimpleName()).toList());
        }
    }
}
