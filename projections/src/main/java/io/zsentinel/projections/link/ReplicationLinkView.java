package io.zsentinel.projections.link;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.replication.api.link.LinkEvent;
import io.zsentinel.replication.api.link.LinkId;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Replication links for the API, the dashboard, the metrics and the controller, rebuilt in memory
 * from the event store on every start. An event is applied once per link by its aggregate sequence
 * number, so redeliveries and replayed segments change nothing. Lag needs the source's snapshots:
 * from the inventory view when given one, else the link is assumed behind since its base.
 */
@ProcessingGroup(ReplicationLinkView.PROCESSING_GROUP)
public class ReplicationLinkView {
    public static final String PROCESSING_GROUP = "replication-links";

    private final Clock clock;
    private final SnapshotInventoryView inventory;
    private final Map<LinkId, LinkRecord> links = new TreeMap<>(Comparator.comparing(LinkId::toString));
    private final Map<LinkId, Long> versions = new HashMap<>();
    /** Never reset: a link's version after a rebuild differs from every one handed out before. */
    private long lastVersion;

    public ReplicationLinkView(Clock clock) {
        this(clock, null);
    }

    /** {@code inventory} (nullable) tells a link in sync from one behind. */
    public ReplicationLinkView(Clock clock, SnapshotInventoryView inventory) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.inventory = inventory;
    }

    /** Every link event; only events from the store (with a sequence number) reach it through Axon. */
    @EventHandler
    public synchronized void on(LinkEvent event, @SequenceNumber Long sequence) {
        if (links.computeIfAbsent(event.linkId(), LinkRecord::new).apply(event, sequence)) {
            versions.put(event.linkId(), ++lastVersion);
        }
    }

    @ResetHandler
    public synchronized void reset() {
        links.clear();
        versions.clear();
    }

    /**
     * A number that changes with every event of the link applied here, for the replication scheduler to tell
     * a link whose state changed (a transfer ended or failed, paused, resumed, a sync asked for) from one
     * whose state did not; -1 when the link is not known.
     */
    public synchronized long version(LinkId id) {
        return versions.getOrDefault(id, -1L);
    }

    /** Ordered by link id; links taken out of the configuration are not shown. */
    public synchronized List<LinkRow> links() {
        Instant now = clock.instant();
        List<LinkRow> rows = new ArrayList<>(links.size());
        links.values().stream().filter(r -> !r.retired()).forEach(r -> rows.add(r.row(now, sourceSnapshots(r.id()))));
        return rows;
    }

    /** The ids of {@link #links()}, without building their rows (lag needs the inventory). */
    public synchronized List<LinkId> linkIds() {
        return links.values().stream().filter(r -> !r.retired()).map(LinkRecord::id).toList();
    }

    public synchronized Optional<LinkRow> link(LinkId id) {
        LinkRecord r = links.get(id);
        return r == null ? Optional.empty() : Optional.of(r.row(clock.instant(), sourceSnapshots(id)));
    }

    /** The inventory view has its own lock and never calls back here, so no lock-order cycle. */
    private List<SnapshotInfo> sourceSnapshots(LinkId id) {
        return inventory == null ? List.of() : inventory.snapshots(id.source());
    }
}
