package io.zsentinel.deploy.failover;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.deploy.controller.Ticker;
import io.zsentinel.failover.api.DatasetPromotion;
import io.zsentinel.failover.api.FailoverId;
import io.zsentinel.failover.api.FailoverStep;
import io.zsentinel.failover.api.OperatorOrder;
import io.zsentinel.failover.api.RecordFinalSend;
import io.zsentinel.failover.api.RecordFinalSnapshot;
import io.zsentinel.projections.link.LinkRow;
import io.zsentinel.projections.service.FailoverSummary;
import io.zsentinel.projections.service.ServicesView.Switchover;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The controller's eyes for a running switchover, from the inventory, every {@link #EVERY}: a final snapshot is taken
 * once the old primary's inventory shows it (its guid), and sent once the standby's copy holds that guid (the link
 * from the old primary sends it as it sends every new snapshot); each is told to the Service aggregate, which ignores
 * what it knows already. A completed switchover's old primary is rejoined quietly ({@link Rejoins}: nothing kept
 * aside, a plain rollback to the common snapshot, the new primary's links to it planned), once per switchover in this
 * run. Stateless but for that: a controller restarted mid-switchover sees the same inventory. A final send whose link
 * cannot carry it (paused, diverged, circuit open) is told as failed, and the old primary serves again at once; a
 * failed snapshot is not reported here: the switchover's deadline promotes the old primary back.
 */
public final class SwitchoverWatch implements AutoCloseable {
    /** A quarter second: each look at a switchover's two waits (snapshot taken, snapshot received) is part of its gap. */
    public static final Duration EVERY = Duration.ofMillis(250);
    private static final Logger log = LoggerFactory.getLogger(SwitchoverWatch.class);
    private static final OperatorOrder REJOIN = new OperatorOrder("zsentinel",
            "a completed switchover: the old primary receives from the new one");

    private final Supplier<List<Switchover>> switchovers;
    private final Function<DatasetId, List<SnapshotInfo>> snapshots;
    private final Function<LinkId, Optional<LinkRow>> links;
    private final Rejoins rejoins;
    private final Consumer<Object> send;
    private final Clock clock;
    private final Set<FailoverId> rejoined = new HashSet<>();
    private final Ticker ticker = new Ticker("switchover-watch");

    public SwitchoverWatch(Supplier<List<Switchover>> switchovers, Function<DatasetId, List<SnapshotInfo>> snapshots,
                           Rejoins rejoins, Consumer<Object> send, Clock clock) {
        this(switchovers, snapshots, link -> Optional.empty(), rejoins, send, clock);
    }

    /** {@code links}: each replication link as the views show it, so that a final send that cannot go is told at once. */
    public SwitchoverWatch(Supplier<List<Switchover>> switchovers, Function<DatasetId, List<SnapshotInfo>> snapshots,
                           Function<LinkId, Optional<LinkRow>> links, Rejoins rejoins, Consumer<Object> send, Clock clock) {
        this.switchovers = switchovers;
        this.snapshots = snapshots;
        this.links = links;
        this.rejoins = rejoins;
        this.send = send;
        this.clock = clock;
    }

    public SwitchoverWatch start() {
        ticker.every(EVERY, this::tick);
        return this;
    }

    public synchronized void tick() {
        for (Switchover w : switchovers.get()) {
            try {
                if (FailoverSummary.RUNNING.equals(w.outcome()) && w.step() == FailoverStep.SNAPSHOTTING) {
                    snapshotsTaken(w);
                } else if (FailoverSummary.RUNNING.equals(w.outcome()) && w.step() == FailoverStep.SENDING) {
                    snapshotsSent(w);
                } else if (FailoverSummary.SWITCHED.equals(w.outcome()) && !rejoined.contains(w.id())) {
                    rejoin(w);
                }
            } catch (RuntimeException e) {
                log.warn("switchover {} of {}: {} (tried again in {} ms)", w.id(), w.service(), e.getMessage(),
                        EVERY.toMillis());
            }
        }
    }

    private void snapshotsTaken(Switchover w) {
        for (DatasetPromotion d : w.datasets()) {
            finalOnOldPrimary(w, d).ifPresent(s -> send.accept(new RecordFinalSnapshot(w.service(), w.id(), s.name(),
                    s.guid(), true, "in the inventory of " + w.from() + " with guid " + s.guid(), clock.instant())));
        }
    }

    private void snapshotsSent(Switchover w) {
        for (DatasetPromotion d : w.datasets()) {
            Optional<Guid> guid = finalOnOldPrimary(w, d).map(SnapshotInfo::guid);
            if (guid.isPresent() && snapshots.apply(new DatasetId(w.to(), d.dataset())).stream()
                    .anyMatch(s -> s.guid().equals(guid.get()))) {
                send.accept(new RecordFinalSend(w.service(), w.id(), d.primaryDataset(), true, w.to() + ":" + d.dataset()
                        + " holds guid " + guid.get(), clock.instant()));
            } else {
                LinkId link = new LinkId(new DatasetId(w.from(), d.primaryDataset()), new DatasetId(w.to(), d.dataset()));
                links.apply(link).flatMap(SwitchoverWatch::cannotSend).ifPresent(why -> send.accept(new RecordFinalSend(
                        w.service(), w.id(), d.primaryDataset(), false, "link " + link + " " + why, clock.instant())));
            }
        }
    }

    /**
     * Why a link cannot carry the final snapshot before the switchover's window ends: paused, diverged, or its circuit
     * open after repeated failures (a single failure is retried by the link within seconds). Empty while it may.
     */
    static Optional<String> cannotSend(LinkRow link) {
        if (link.linkState() == LinkState.PAUSED) {
            return Optional.of("is paused" + (link.paused() == null ? "" : " by " + link.paused().operator() + " ("
                    + link.paused().reason() + ")"));
        }
        if (link.linkState() == LinkState.DIVERGED) {
            return Optional.of("has diverged" + (link.diverged() == null ? "" : ": " + link.diverged().reason()));
        }
        if (link.circuitOpen()) {
            return Optional.of("fails: circuit open until " + link.circuitOpenUntil() + " after "
                    + link.consecutiveFailures() + " failures, the last: " + link.lastFailureReason());
        }
        return Optional.empty();
    }

    private void rejoin(Switchover w) {
        Optional<Rejoins.Planned> planned = rejoins.of(w.from(), w.service(), true, REJOIN, clock.instant());
        rejoined.add(w.id()); // ordered once: a refusal says why in the log, and an operator's rejoin does the rest
        if (planned.isPresent() && !planned.get().rejoinedAlready()) {
            send.accept(planned.get().begin());
            log.info("switchover {} of {}: {} rejoins quietly, receiving from {}", w.id(), w.service(), w.from(), w.to());
        }
    }

    /**
     * The generation a transfer from {@code source} carries while a switchover runs from its server: the old primary,
     * demoted at the generation it served at (the switchover's minus one), sends its final snapshot only on an order at
     * least that new (its agent refuses older orders from a demoted dataset); the copy receiving it is marked with it,
     * older than the switchover's generation its promotion carries. 0 when no running switchover demoted it.
     */
    public static long sendingGeneration(List<Switchover> switchovers, DatasetId source) {
        return switchovers.stream().filter(w -> FailoverSummary.RUNNING.equals(w.outcome()) && w.from().equals(source.server())
                        && w.datasets().stream().anyMatch(d -> d.primaryDataset().equals(source.dataset())))
                .mapToLong(w -> w.generation() - 1).max().orElse(0);
    }

    /** The final snapshot of {@code d} on the old primary, as its inventory shows it. */
    private Optional<SnapshotInfo> finalOnOldPrimary(Switchover w, DatasetPromotion d) {
        DatasetName dataset = d.primaryDataset();
        String name = d.rollbackTo() == null ? null : d.rollbackTo().shortName();
        return snapshots.apply(new DatasetId(w.from(), dataset)).stream()
                .filter(s -> s.name().shortName().equals(name)).findFirst();
    }

    @Override
    public void close() {
        ticker.close();
    }
}
