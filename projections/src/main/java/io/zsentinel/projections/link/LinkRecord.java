package io.zsentinel.projections.link;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.link.BaseChanged;
import io.zsentinel.replication.api.link.CircuitOpened;
import io.zsentinel.replication.api.link.DivergenceResolutionOrdered;
import io.zsentinel.replication.api.link.LinkEvent;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkPaused;
import io.zsentinel.replication.api.link.LinkResumed;
import io.zsentinel.replication.api.link.LinkRetired;
import io.zsentinel.replication.api.link.LinkState;
import io.zsentinel.replication.api.link.LinkStateChanged;
import io.zsentinel.replication.api.link.ReplicationFailed;
import io.zsentinel.replication.api.link.LinkSettingsChanged;
import io.zsentinel.replication.api.link.ReplicationLinkEstablished;
import io.zsentinel.replication.api.link.ReplicationScheduled;
import io.zsentinel.replication.api.link.ReplicationSucceeded;
import io.zsentinel.replication.api.link.SnapshotRef;
import io.zsentinel.replication.api.link.SyncRequested;
import io.zsentinel.replication.api.link.TargetCaughtUp;
import io.zsentinel.replication.api.link.TargetDiverged;
import io.zsentinel.replication.api.link.TransferProgressRecorded;
import io.zsentinel.replication.api.link.TransferStalled;
import io.zsentinel.replication.link.ReplicationLag;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What the view knows of one link, folded from its events. Not thread-safe: {@link ReplicationLinkView}
 * guards it. The link's state is the one the aggregate announced (LinkStateChanged), never re-derived.
 */
final class LinkRecord {
    private final LinkId id;
    private long lastSequence = -1;
    private Duration interval = Duration.ZERO;
    private LinkState state = LinkState.INITIAL;
    private SnapshotRef base;
    private Instant lastSuccessAt;
    private LinkRow.Transfer inFlight;
    private int failures;
    private Instant failingSince;
    private String lastFailureReason;
    private Instant lastFailureAt;
    private Instant nextRetryAt;
    private LinkRow.Divergence divergence;
    private Instant circuitOpenUntil;
    private LinkRow.OperatorMark paused;
    private LinkRow.OperatorMark syncRequested;
    private LinkRow.OperatorMark resolutionOrdered;
    private boolean retired;

    LinkRecord(LinkId id) {
        this.id = id;
    }

    /**
     * Applies the event unless its aggregate sequence number was applied already (a redelivery or
     * a replayed segment); {@code sequence} null (not from the store) is always applied.
     */
    boolean apply(LinkEvent event, Long sequence) {
        if (sequence != null) {
            if (sequence <= lastSequence) {
                return false;
            }
            lastSequence = sequence;
        }
        fold(event);
        return true;
    }

    private void fold(LinkEvent event) {
        if (event instanceof ReplicationLinkEstablished e) {
            interval = e.interval();
        } else if (event instanceof LinkSettingsChanged e) {
            interval = e.interval();
            retired = false;
        } else if (event instanceof LinkRetired) {
            retired = true;
            base = null;
        } else if (event instanceof ReplicationScheduled e) {
            inFlight = new LinkRow.Transfer(e.transferId(), name(e.from()), name(e.to()), e.attempt(),
                    e.rollbackTarget(), e.at(), 0, e.at(), null);
            nextRetryAt = null;
            syncRequested = null;
        } else if (event instanceof TransferProgressRecorded e) {
            if (inFlight != null && inFlight.transferId().equals(e.transferId()) && e.bytes() > inFlight.bytes()) {
                inFlight = new LinkRow.Transfer(inFlight.transferId(), inFlight.from(), inFlight.to(),
                        inFlight.attempt(), inFlight.rollbackTarget(), inFlight.startedAt(), e.bytes(), e.at(),
                        rate(e.bytes(), inFlight.startedAt(), e.at()));
            }
        } else if (event instanceof ReplicationSucceeded e) {
            lastSuccessAt = e.at();
            base = e.newBase();
            caughtUp();
        } else if (event instanceof TargetCaughtUp e) {
            base = e.base();
            caughtUp();
        } else if (event instanceof ReplicationFailed e) {
            failures++;
            failingSince = failingSince == null ? e.at() : failingSince;
            lastFailureReason = e.reason();
            lastFailureAt = e.at();
            nextRetryAt = e.retryAt();
            endTransfer(e.transferId());
        } else if (event instanceof TransferStalled e) {
            endTransfer(e.transferId()); // the ReplicationFailed that follows says why
        } else if (event instanceof CircuitOpened e) {
            circuitOpenUntil = e.until();
        } else if (event instanceof TargetDiverged e) {
            divergence = new LinkRow.Divergence(e.reason(), name(e.commonBase()),
                    e.targetOnly().stream().map(LinkRecord::name).toList(), e.at());
        } else if (event instanceof DivergenceResolutionOrdered e) {
            divergence = null;
            resolutionOrdered = new LinkRow.OperatorMark(e.operator().name(), e.reason(), e.at());
        } else if (event instanceof LinkPaused e) {
            paused = new LinkRow.OperatorMark(e.operator().name(), e.reason(), e.at());
        } else if (event instanceof LinkResumed) {
            paused = null;
        } else if (event instanceof SyncRequested e) {
            syncRequested = new LinkRow.OperatorMark(e.operator().name(), e.reason(), e.at());
        } else if (event instanceof LinkStateChanged e) {
            state = e.to();
        } else if (event instanceof BaseChanged e) {
            base = e.newBase();
        }
        // an event type this view does not know yet changes nothing it shows
    }

    /** The target has the base: failures, the circuit and a used-up rollback consent are over. */
    private void caughtUp() {
        inFlight = null;
        failures = 0;
        failingSince = null;
        lastFailureReason = null;
        lastFailureAt = null;
        nextRetryAt = null;
        circuitOpenUntil = null;
        resolutionOrdered = null;
    }

    private void endTransfer(UUID transferId) {
        if (inFlight != null && inFlight.transferId().equals(transferId)) {
            inFlight = null;
        }
    }

    LinkId id() {
        return id;
    }

    /** Taken out of the configuration (and not configured again since): no longer shown. */
    boolean retired() {
        return retired;
    }

    /** {@code source}: the source's snapshots, empty when not known. */
    LinkRow row(Instant now, List<SnapshotInfo> source) {
        LinkRow.Base baseRow = base == null ? null
                : new LinkRow.Base(base.name().full(), base.guid().decimal(), base.created());
        Long lag = ReplicationLag.of(base, source, now).map(Duration::toSeconds).orElse(null);
        Long age = lastSuccessAt == null ? null : Math.max(0, Duration.between(lastSuccessAt, now).toSeconds());
        Instant circuit = circuitOpenUntil != null && now.isBefore(circuitOpenUntil) ? circuitOpenUntil : null;
        return new LinkRow(id, endpoint(id.source()), endpoint(id.target()), state, interval.toSeconds(), baseRow,
                lastSuccessAt, age, lag, inFlight, failures, failingSince, lastFailureReason, lastFailureAt,
                nextRetryAt, divergence, circuit, paused, syncRequested, resolutionOrdered);
    }

    private static LinkRow.Endpoint endpoint(DatasetId d) {
        return new LinkRow.Endpoint(d.server().value(), d.dataset().value());
    }

    private static String name(SnapshotRef ref) {
        return ref == null ? null : ref.name().full();
    }

    /** Average since the transfer started: steadier than the last interval, and what an ETA needs. */
    private static Long rate(long bytes, Instant started, Instant at) {
        long millis = Duration.between(started, at).toMillis();
        return millis <= 0 ? null : (long) (bytes * 1000.0 / millis);
    }
}
