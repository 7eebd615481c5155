package io.zsentinel.projections.link;

import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.projections.inventory.SnapshotRow;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.retention.HeldForReplicas;
import io.zsentinel.replication.retention.RetainedSnapshot;
import io.zsentinel.replication.retention.RetentionPolicy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What replication links hold back of their sources' retention, read at query time from the inventory
 * (snapshots, sizes, policy) and the links (their bases), with the same rule the Dataset aggregate
 * applies ({@link HeldForReplicas}). Snapshots held in ZFS by an operator count here (the inventory does
 * not follow holds), so the aggregate may blame a link for one fewer.
 */
public final class RetentionHolds {
    private final SnapshotInventoryView inventory;
    private final ReplicationLinkView links;
    private final Function<DatasetId, Map<Guid, Long>> usedBytesNow;

    /** Sizes as first recorded (a snapshot's used bytes grow as the live data moves on: see the other constructor). */
    public RetentionHolds(SnapshotInventoryView inventory, ReplicationLinkView links) {
        this(inventory, links, dataset -> Map.of());
    }

    /**
     * {@code usedBytesNow}: each snapshot's used bytes from the agent's latest report, by guid, where known;
     * the inventory records a snapshot's size once, when it appears (then nearly 0: the live data shares it all).
     */
    public RetentionHolds(SnapshotInventoryView inventory, ReplicationLinkView links,
                          Function<DatasetId, Map<Guid, Long>> usedBytesNow) {
        this.inventory = inventory;
        this.links = links;
        this.usedBytesNow = usedBytesNow;
    }

    /** Every link holding something back, by source dataset, then link. */
    public List<RetentionHeldBack> all() {
        Map<DatasetId, Map<String, Guid>> bases = new LinkedHashMap<>();
        for (LinkRow link : links.links()) {
            if (link.base() != null) {
                bases.computeIfAbsent(link.linkId().source(), s -> new LinkedHashMap<>())
                        .put(link.id(), Guid.parse(link.base().guid()));
            }
        }
        List<RetentionHeldBack> held = new ArrayList<>();
        bases.forEach((source, byLink) -> held.addAll(of(source, byLink)));
        return held;
    }

    public Optional<RetentionHeldBack> forLink(String linkId) {
        return all().stream().filter(h -> h.link().equals(linkId)).findFirst();
    }

    private List<RetentionHeldBack> of(DatasetId source, Map<String, Guid> bases) {
        Optional<RetentionPolicy> policy = inventory.policy(source);
        if (policy.isEmpty()) {
            return List.of();
        }
        List<SnapshotRow> rows = inventory.snapshots(source.dataset(), Optional.of(source.server()));
        Map<Guid, Long> now = usedBytesNow.apply(source);
        Map<Guid, Long> used = rows.stream().collect(Collectors.toMap(r -> Guid.parse(r.guid()),
                r -> now.getOrDefault(Guid.parse(r.guid()), r.usedBytes()), (a, b) -> a));
        List<RetainedSnapshot> retained = rows.stream()
                .map(r -> RetainedSnapshot.of(SnapshotName.parse(r.name()), Guid.parse(r.guid()), r.createtxg()))
                .toList();
        return HeldForReplicas.holds(policy.get(), retained, bases, Set.of()).stream()
                .map(h -> new RetentionHeldBack(h.holder(), source.server().value(), source.dataset().value(),
                        h.snapshots().size(),
                        h.snapshots().stream().mapToLong(s -> used.get(s.guid())).sum(), h.since(),
                        h.base().name().full(), policy.get().maxHeldForReplicas(),
                        policy.get().maxHeldForReplicasDays() == 0 ? null : policy.get().maxHeldForReplicasDays()))
                .toList();
    }
}
