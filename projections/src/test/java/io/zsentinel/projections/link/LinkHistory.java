package io.zsentinel.projections.link;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.Operator;
import io.zsentinel.replication.api.link.EstablishLink;
import io.zsentinel.replication.api.link.LinkCommand;
import io.zsentinel.replication.api.link.LinkEvent;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkPolicy;
import io.zsentinel.replication.api.link.PlanReplication;
import io.zsentinel.replication.api.link.ReplicationScheduled;
import io.zsentinel.replication.link.ReplicationLinkDecider;
import io.zsentinel.replication.link.ReplicationLinkState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.zsentinel.projections.Events.A_VM1;
import static io.zsentinel.projections.Events.B;
import static io.zsentinel.projections.Events.T0;

/**
 * A link's history made by the real decider, so the view is tested on the events the aggregate
 * emits, with the sequence numbers the event store gives them.
 */
final class LinkHistory {
    static final DatasetName BACKUP_VM1 = DatasetName.of("backup/vm1");
    static final LinkId LINK = new LinkId(A_VM1, new DatasetId(B, BACKUP_VM1));
    static final Operator ALICE = new Operator("alice@ops");

    record Stored(LinkEvent event, long sequence) {
    }

    private final LinkId link;
    private ReplicationLinkState state;
    private final List<Stored> stored = new ArrayList<>();

    LinkHistory(LinkId link) {
        this.link = link;
        this.state = ReplicationLinkState.initial(link);
    }

    static LinkHistory established(LinkPolicy policy) {
        LinkHistory h = new LinkHistory(LINK);
        h.decide(new EstablishLink(LINK.source(), LINK.target().server(), LINK.target().dataset(),
                Duration.ofMinutes(15), policy, T0));
        return h;
    }

    /** Decides, folds, stores; answers the new events. */
    List<LinkEvent> decide(LinkCommand command) {
        List<LinkEvent> events = ReplicationLinkDecider.decide(state, command);
        for (LinkEvent e : events) {
            state = ReplicationLinkDecider.evolve(state, e);
            stored.add(new Stored(e, stored.size()));
        }
        return events;
    }

    /** Plans with the source holding {@code s1 … sN} and the target the given snapshots; answers the transfer. */
    UUID plan(int sourceSnapshots, List<SnapshotInfo> target, Instant now) {
        List<LinkEvent> events = decide(new PlanReplication(link, source(sourceSnapshots), target, false, now));
        return events.stream().filter(ReplicationScheduled.class::isInstance).map(ReplicationScheduled.class::cast)
                .map(ReplicationScheduled::transferId).findFirst().orElseThrow(() ->
                        new AssertionError("nothing was scheduled: " + events));
    }

    List<Stored> stored() {
        return List.copyOf(stored);
    }

    /** Feeds every event not fed yet (from {@code from}) to the view. */
    void feed(ReplicationLinkView view, int from) {
        stored.subList(from, stored.size()).forEach(s -> view.on(s.event(), s.sequence()));
    }

    int size() {
        return stored.size();
    }

    static List<SnapshotInfo> source(int n) {
        List<SnapshotInfo> list = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            list.add(snapshot(LINK.source().dataset(), "s" + i, i));
        }
        return list;
    }

    /** Same guid on both sides for the same short name and txg: what a received snapshot looks like. */
    static SnapshotInfo snapshot(DatasetName dataset, String shortName, long txg) {
        long guid = shortName.startsWith("s") ? 1000 + txg : 9000 + txg;
        return new SnapshotInfo(dataset.snapshot(shortName), new Guid(guid), txg * 10, T0.plusSeconds(60 * txg),
                1000, 4000);
    }

    static Guid guid(int i) {
        return new Guid(1000 + i);
    }
}
