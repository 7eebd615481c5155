package io.zsentinel.deploy.retention;

import io.zsentinel.core.config.ConfigFiles;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.replication.api.AssignRetentionPolicy;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.DatasetRegistered;
import io.zsentinel.replication.api.EvaluateRetention;
import io.zsentinel.replication.api.RetentionPolicyChanged;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.retention.RetentionPolicy;
import io.zsentinel.replication.retention.SnapshotClass;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each tick: a dataset's policy is assigned only when it differs from the one assigned (none at a start included),
 * and a dataset with a policy is evaluated when that could have changed, at the clock's time.
 */
class RetentionSchedulerTest {
    static final ServerId PRIMARY = ServerId.of("primary"), STANDBY = ServerId.of("standby");
    static final DatasetId VM1 = new DatasetId(PRIMARY, DatasetName.of("tank/vm1"));
    static final DatasetId SCRATCH = new DatasetId(PRIMARY, DatasetName.of("scratch/tmp"));
    static final DatasetId COPY = new DatasetId(STANDBY, DatasetName.of("standby/vm1"));
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final String YAML = """
            kafka: { bootstrap: "127.0.0.1:9092" }
            retention:
              policies:
                - { match: "tank/vm*", keep: { daily: 7 } }
            replication:
              links:
                - { match: "tank/vm*", targetServer: standby, targetRoot: standby }
            """;

    final List<Object> sent = Collections.synchronizedList(new ArrayList<>());
    /** Datasets whose commands the gateway refuses (e.g. the aggregate is not there yet). */
    final Set<DatasetId> refusing = new HashSet<>();
    final SnapshotInventoryView inventory = new SnapshotInventoryView();
    final RetentionScheduler scheduler = scheduler();

    RetentionScheduler scheduler() {
        ControllerConfig config = ConfigFiles.parse(YAML, "controller.yaml", ControllerConfig.class);
        RetentionPolicies policies = new RetentionPolicies(config.retention(), config.replication());
        CommandGateway gateway = (CommandGateway) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{CommandGateway.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendAndWait") && args.length == 1) {
                        DatasetId id = args[0] instanceof AssignRetentionPolicy a ? a.id()
                                : args[0] instanceof EvaluateRetention e ? e.id() : null;
                        if (refusing.contains(id)) {
                            throw new IllegalStateException("no dataset " + id);
                        }
                        sent.add(args[0]);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName() + " " + List.of(args == null ? new Object[0] : args));
                });
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        return new RetentionScheduler(config.retention(), policies, inventory, gateway,
                new CapacityWatcher(policies, inventory, new PoolUsage(clock), gateway), clock);
    }

    void known(DatasetId... ids) {
        for (DatasetId id : ids) {
            inventory.on(new DatasetRegistered(id, T0), T0);
        }
    }

    List<Object> tick() {
        sent.clear();
        scheduler.tick();
        return List.copyOf(sent);
    }

    static RetentionPolicy assignedPolicy(Object command) {
        return ((AssignRetentionPolicy) command).policy();
    }

    @Test
    void aDatasetWithAPolicyGetsItOnceAndIsEvaluatedAgainOnlyWhenItChanged() {
        known(VM1);
        List<Object> first = tick();
        assertEquals(2, first.size(), first.toString());
        RetentionPolicy policy = assignedPolicy(first.get(0));
        assertEquals(new AssignRetentionPolicy(VM1, policy, T0), first.get(0));
        assertEquals(7, policy.keep(SnapshotClass.DAILY));
        assertEquals(new EvaluateRetention(VM1, T0), first.get(1), "assigned before it is evaluated");

        assertEquals(List.of(), tick(), "unchanged policy: not assigned again; unchanged dataset: not evaluated again");
        inventory.on(new SnapshotRecorded(VM1, new SnapshotInfo(VM1.dataset().snapshot("s1"), new Guid(1), 1, T0, 1, 1),
                null, T0), T0);
        assertEquals(List.of(new EvaluateRetention(VM1, T0)), tick(), "the dataset changed");
    }

    @Test
    void theRetentionSchedulerAssignsAPolicyOnlyWhenItChangedNoneAtAStartIncluded() {
        known(SCRATCH, VM1);
        RetentionPolicy configured = new RetentionPolicies(
                ConfigFiles.parse(YAML, "controller.yaml", ControllerConfig.class).retention()).policyFor(VM1).orElseThrow();
        inventory.on(new RetentionPolicyChanged(VM1, configured, T0), T0); // assigned before a restart
        assertEquals(List.of(new EvaluateRetention(VM1, T0)), tick(),
                "no policy for SCRATCH and none assigned; VM1's is assigned already: no AssignRetentionPolicy at all");
        assertEquals(List.of(), tick());
    }

    @Test
    void aCopyGetsItsSourcesPolicyReceiveOnlyOnceTheSourceIsKnown() {
        known(COPY);
        assertEquals(List.of(), tick(), "source unknown: no policy yet");

        known(VM1);
        List<Object> next = tick();
        List<Object> forCopy = next.stream().filter(c -> c instanceof AssignRetentionPolicy a && a.id().equals(COPY)
                || c instanceof EvaluateRetention e && e.id().equals(COPY)).toList();
        assertEquals(2, forCopy.size(), next.toString());
        RetentionPolicy mirrored = assignedPolicy(forCopy.get(0));
        assertTrue(mirrored.receiveOnly(), "a copy takes no snapshots of its own");
        assertEquals(7, mirrored.keep(SnapshotClass.DAILY));
        assertEquals(new EvaluateRetention(COPY, T0), forCopy.get(1));
    }

    @Test
    void aRefusedDatasetDoesNotStopTheOthersAndIsAssignedAgainAtTheNextTick() {
        DatasetId vm2 = new DatasetId(PRIMARY, DatasetName.of("tank/vm2"));
        known(VM1, vm2);
        refusing.add(VM1);
        List<Object> first = tick();
        assertEquals(2, first.size(), first.toString());
        assertEquals(new EvaluateRetention(vm2, T0), first.get(1), "the other dataset goes on");

        refusing.clear();
        List<Object> next = tick();
        assertEquals(2, next.size(), next.toString());
        assertEquals(new AssignRetentionPolicy(VM1, assignedPolicy(next.get(0)), T0), next.get(0),
                "the refused assignment is not taken as done");
        assertEquals(new EvaluateRetention(VM1, T0), next.get(1));
    }
}
