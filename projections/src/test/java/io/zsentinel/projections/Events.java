package io.zsentinel.projections;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.PoolCondition;
import io.zsentinel.failover.api.PoolHealthChanged;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.DatasetRegistered;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.api.SnapshotRemoved;
import io.zsentinel.replication.api.SnapshotRenamed;

import java.time.Instant;
import java.util.UUID;

/** Event builders shared by the projection tests. */
public final class Events {
    public static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    public static final ServerId A = ServerId.of("store-a");
    public static final ServerId B = ServerId.of("store-b");
    public static final DatasetName VM1 = DatasetName.of("primary/vm1");
    public static final DatasetId A_VM1 = new DatasetId(A, VM1);
    public static final DatasetId B_VM1 = new DatasetId(B, VM1);

    private Events() {
    }

    public static DatasetRegistered registered(DatasetId id) {
        return new DatasetRegistered(id, T0);
    }

    /** A snapshot whose guid, createtxg and creation time derive from {@code txg}. */
    public static SnapshotRecorded recorded(DatasetId id, String shortName, long txg, boolean byZsentinel) {
        SnapshotInfo info = new SnapshotInfo(id.dataset().snapshot(shortName), new Guid(guidFor(id, txg)), txg,
                T0.plusSeconds(txg), txg * 1000, txg * 4000);
        return new SnapshotRecorded(id, info, byZsentinel ? UUID.nameUUIDFromBytes(shortName.getBytes()) : null, T0);
    }

    public static SnapshotRenamed renamed(DatasetId id, long txg, String from, String to) {
        return new SnapshotRenamed(id, new Guid(guidFor(id, txg)), id.dataset().snapshot(from),
                id.dataset().snapshot(to), T0);
    }

    public static SnapshotRemoved removed(DatasetId id, long txg, String name) {
        return new SnapshotRemoved(id, id.dataset().snapshot(name), new Guid(guidFor(id, txg)), "destroyed", T0);
    }

    /** Distinct per server, and above 2^63 to show the guid stays unsigned. */
    public static long guidFor(DatasetId id, long txg) {
        return (id.server().equals(A) ? 0xF000_0000_0000_0000L : 0xE000_0000_0000_0000L) + txg;
    }

    public static PoolHealthChanged pool(ServerId server, String pool, PoolHealth health, int capacity, Instant at) {
        return new PoolHealthChanged(server,
                new PoolCondition(PoolName.of(pool), health, capacity, 1L << 40, 0, 0, health.healthy() ? 0 : 3, at));
    }
}
