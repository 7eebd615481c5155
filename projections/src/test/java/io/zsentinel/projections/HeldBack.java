package io.zsentinel.projections;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.projections.link.ReplicationLinkView;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.RetentionPolicyChanged;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkPolicy;
import io.zsentinel.replication.api.link.ReplicationLinkEstablished;
import io.zsentinel.replication.api.link.ReplicationSucceeded;
import io.zsentinel.replication.api.link.SnapshotRef;
import io.zsentinel.replication.retention.RetentionPolicy;
import io.zsentinel.replication.retention.SnapshotClass;
import io.zsentinel.replication.retention.SnapshotNaming;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import static io.zsentinel.projections.Events.A_VM1;
import static io.zsentinel.projections.Events.B;
import static io.zsentinel.projections.Events.T0;
import static io.zsentinel.projections.Events.registered;

/**
 * A link whose target stopped at the second of eight frequent snapshots of store-a's primary/vm1, seen at
 * {@code slot(9)}: under a policy that keeps 3, the three expired snapshots newer than its base are held back.
 */
public record HeldBack(Clock clock, SnapshotInventoryView inventory, ReplicationLinkView links) {
    public static final LinkId LINK = new LinkId(A_VM1, new DatasetId(B, DatasetName.of("backup/vm1")));

    public static HeldBack under(RetentionPolicy policy) {
        Clock clock = Clock.fixed(slot(9), ZoneOffset.UTC);
        SnapshotInventoryView inventory = new SnapshotInventoryView();
        inventory.on(registered(A_VM1), T0);
        inventory.on(new RetentionPolicyChanged(A_VM1, policy, T0), T0);
        for (long txg = 1; txg <= 8; txg++) {
            inventory.on(new SnapshotRecorded(A_VM1, frequent(txg), null, slot(txg)), slot(txg));
        }
        ReplicationLinkView links = new ReplicationLinkView(clock, inventory);
        SnapshotInfo base = frequent(2);
        links.on(new ReplicationLinkEstablished(LINK, LINK.source(), LINK.target(), Duration.ofMinutes(1),
                LinkPolicy.defaults(), T0), 0L);
        links.on(new ReplicationSucceeded(LINK, UUID.nameUUIDFromBytes(new byte[] {1}),
                new SnapshotRef(base.name(), base.guid(), base.created()), 100, slot(2)), 1L);
        return new HeldBack(clock, inventory, links);
    }

    /** Frequent snapshot number {@code txg} (1..8): slot T0 + 15 min × txg, guid 100 + txg, txg × 1000 bytes used. */
    public static SnapshotInfo frequent(long txg) {
        Instant slot = slot(txg);
        return new SnapshotInfo(A_VM1.dataset().snapshot(SnapshotNaming.name(SnapshotClass.FREQUENTLY, slot)),
                new Guid(100 + txg), txg, slot, txg * 1000, txg * 4000);
    }

    public static Instant slot(long txg) {
        return T0.plus(Duration.ofMinutes(15 * txg));
    }

    /** The policy the fixture is about: 3 frequent snapshots kept, at most 40 held for a replica, 14 days each. */
    public static RetentionPolicy keep3() {
        return RetentionPolicy.defaults().withOnlyKeep(java.util.Map.of(SnapshotClass.FREQUENTLY, 3))
                .withMaxHeldForReplicas(40).withMaxHeldForReplicasDays(14);
    }
}
