package io.zsentinel.replication.link;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.Operator;
import io.zsentinel.replication.api.link.EstablishLink;
import io.zsentinel.replication.api.link.LinkCommand;
import io.zsentinel.replication.api.link.LinkEvent;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkPolicy;
import io.zsentinel.replication.api.link.PlanReplication;
import io.zsentinel.replication.api.link.ReplicationLinkEstablished;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.zsentinel.replication.link.ReplicationPlannerTest.T0;

/** Shared fixtures: one link primary:primary/vm1 → offsite:backup/primary/vm1, every 15 minutes. */
final class Links {
    static final DatasetId SOURCE = new DatasetId(ServerId.of("primary"), ReplicationPlannerTest.SRC);
    static final ServerId TARGET_SERVER = ServerId.of("offsite");
    static final DatasetName TARGET_DATASET = ReplicationPlannerTest.DST;
    static final LinkId LINK = new LinkId(SOURCE, new DatasetId(TARGET_SERVER, TARGET_DATASET));
    static final Duration INTERVAL = Duration.ofMinutes(15);
    /** Breaker opens at the 3rd consecutive failure, for 20 minutes. */
    static final LinkPolicy POLICY = new LinkPolicy(Duration.ofSeconds(10), 2.0, Duration.ofMinutes(10),
            Duration.ofMinutes(5), 3, Duration.ofMinutes(20));
    static final Operator ALICE = new Operator("alice@ops");

    private Links() {
    }

    static EstablishLink establish() {
        return new EstablishLink(SOURCE, TARGET_SERVER, TARGET_DATASET, INTERVAL, POLICY, T0);
    }

    static ReplicationLinkEstablished established() {
        return new ReplicationLinkEstablished(LINK, SOURCE, LINK.target(), INTERVAL, POLICY, T0);
    }

    static PlanReplication plan(Instant now, List<SnapshotInfo> source, List<SnapshotInfo> target) {
        return new PlanReplication(LINK, source, target, false, now);
    }

    /** Decides and folds, as the aggregate does: the state after, and the events of the last step. */
    static final class Run {
        ReplicationLinkState state = ReplicationLinkState.initial(LINK);
        final List<LinkEvent> history = new ArrayList<>();

        Run given(LinkEvent... events) {
            for (LinkEvent e : events) {
                state = ReplicationLinkDecider.evolve(state, e);
                history.add(e);
            }
            return this;
        }

        List<LinkEvent> when(LinkCommand command) {
            List<LinkEvent> events = ReplicationLinkDecider.decide(state, command);
            given(events.toArray(LinkEvent[]::new));
            return events;
        }
    }
}
