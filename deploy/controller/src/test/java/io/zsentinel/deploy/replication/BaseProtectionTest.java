package io.zsentinel.deploy.replication;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.ProtectSnapshot;
import io.zsentinel.replication.api.ProtectionKind;
import io.zsentinel.replication.api.ReleaseProtection;
import io.zsentinel.replication.api.link.BaseChanged;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkRetired;
import io.zsentinel.replication.api.link.SnapshotRef;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.lock.DeadlockException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A link's new base is protected before its old one is released, each link for itself; a retired link lets go. */
class BaseProtectionTest {
    static final DatasetId SOURCE = new DatasetId(ServerId.of("primary"), DatasetName.of("tank/vm1"));
    static final LinkId STANDBY = new LinkId(SOURCE, new DatasetId(ServerId.of("standby"), DatasetName.of("backup/vm1")));
    static final LinkId OFFSITE = new LinkId(SOURCE, new DatasetId(ServerId.of("offsite"), DatasetName.of("backup/vm1")));
    static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");

    final List<Object> sent = new ArrayList<>();
    /** Commands the gateway refuses, as the aggregate would (e.g. a snapshot destroyed meanwhile). */
    final List<Object> refused = new ArrayList<>();
    /** Commands whose aggregate another batch holds, locked in the opposite order (Axon's lock factory's verdict). */
    final List<Object> deadlocked = new ArrayList<>();
    final BaseProtection protection = new BaseProtection((CommandGateway) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[]{CommandGateway.class}, (proxy, method, args) -> {
                if (method.getName().equals("sendAndWait") && args.length == 1) {
                    if (deadlocked.contains(args[0])) {
                        throw new DeadlockException("another thread holds the lock of " + args[0]);
                    }
                    if (refused.contains(args[0])) {
                        throw new IllegalStateException("refused " + args[0]);
                    }
                    sent.add(args[0]);
                    return null;
                }
                throw new UnsupportedOperationException(method.getName());
            }));

    static SnapshotRef base(long guid) {
        return new SnapshotRef(SOURCE.dataset().snapshot("zsentinel_hourly_" + guid), new Guid(guid), AT);
    }

    /** The old base is released by the Dataset in the same step (DatasetAggregateTest), never by a second command. */
    @Test
    void theNewBaseIsProtectedForThatLinkAndNothingIsReleasedBesideIt() {
        protection.on(new BaseChanged(STANDBY, SOURCE, new Guid(1), base(2), AT));
        assertEquals(List.of(new ProtectSnapshot(SOURCE, new Guid(2), STANDBY.toString(), ProtectionKind.BASE)), sent);
    }

    @Test
    void aNewBaseThatCannotBeProtectedLeavesTheOldOneHeld() {
        refused.add(new ProtectSnapshot(SOURCE, new Guid(2), STANDBY.toString(), ProtectionKind.BASE));
        protection.on(new BaseChanged(STANDBY, SOURCE, new Guid(1), base(2), AT));
        assertEquals(List.of(), sent, "no release: the old base may be the last snapshot both sides share");
    }

    @Test
    void aLinksFirstBaseIsOnlyProtected() {
        protection.on(new BaseChanged(OFFSITE, SOURCE, null, base(2), AT));
        assertEquals(List.of(new ProtectSnapshot(SOURCE, new Guid(2), OFFSITE.toString(), ProtectionKind.BASE)), sent);
    }

    @Test
    void theSameBaseAgainIsNotReleased() {
        protection.on(new BaseChanged(STANDBY, SOURCE, new Guid(2), base(2), AT));
        assertEquals(List.of(new ProtectSnapshot(SOURCE, new Guid(2), STANDBY.toString(), ProtectionKind.BASE)), sent,
                "releasing it would leave the link without a protected base");
    }

    @Test
    void aRefusedProtectionDoesNotStopTheHandler() {
        refused.add(new ProtectSnapshot(SOURCE, new Guid(2), STANDBY.toString(), ProtectionKind.BASE));
        protection.on(new BaseChanged(STANDBY, SOURCE, null, base(2), AT)); // does not throw: the event is not retried forever
        assertEquals(List.of(), sent);
    }

    /** In a batch the processor holds the datasets it protected until it commits: a deadlock is possible. */
    @Test
    void aProtectionThatCannotHaveItsLockFailsTheBatchToBeRetriedRatherThanLeaveTheBaseUnprotected() {
        deadlocked.add(new ProtectSnapshot(SOURCE, new Guid(2), STANDBY.toString(), ProtectionKind.BASE));
        assertThrows(DeadlockException.class,
                () -> protection.on(new BaseChanged(STANDBY, SOURCE, new Guid(1), base(2), AT)));
        assertEquals(List.of(), sent);
    }

    @Test
    void aRetiredLinkReleasesItsOwnBase() {
        protection.on(new LinkRetired(OFFSITE, SOURCE, new Guid(5), "rule removed", AT));
        assertEquals(List.of(new ReleaseProtection(SOURCE, new Guid(5), OFFSITE.toString())), sent);
    }

    @Test
    void aRetiredLinkWithoutBaseReleasesNothing() {
        protection.on(new LinkRetired(OFFSITE, SOURCE, null, "rule removed", AT));
        assertEquals(List.of(), sent);
    }
}
