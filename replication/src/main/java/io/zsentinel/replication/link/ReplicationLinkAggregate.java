package io.zsentinel.replication.link;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.zsentinel.replication.api.link.CheckStall;
import io.zsentinel.replication.api.link.EstablishAndPlan;
import io.zsentinel.replication.api.link.EstablishLink;
import io.zsentinel.replication.api.link.LinkCommand;
import io.zsentinel.replication.api.link.LinkEvent;
import io.zsentinel.replication.api.link.PauseLink;
import io.zsentinel.replication.api.link.PlanReplication;
import io.zsentinel.replication.api.link.RecordTransferCompleted;
import io.zsentinel.replication.api.link.RecordTransferFailed;
import io.zsentinel.replication.api.link.RecordTransferProgress;
import io.zsentinel.replication.api.link.ResolveDivergence;
import io.zsentinel.replication.api.link.RetireLink;
import io.zsentinel.replication.api.link.ResumeLink;
import io.zsentinel.replication.api.link.SyncNow;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * The Axon shell around {@link ReplicationLinkDecider}: load state, decide, apply. No rules live here.
 * EstablishLink and EstablishAndPlan create the link if missing (a redelivered EstablishLink is a no-op, not an
 * error); every other command needs the link to exist.
 * <p>
 * Axon's snapshots of this aggregate are its JSON ({@code id} and {@code state});
 * {@link #SNAPSHOT_REVISION} names their shape: bump it whenever the JSON of
 * {@link ReplicationLinkState} changes, so that snapshots of another shape are ignored (a full
 * replay) and never read half-right.
 */
@Revision(ReplicationLinkAggregate.SNAPSHOT_REVISION)
@JsonAutoDetect(fieldVisibility = Visibility.NONE, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE, creatorVisibility = Visibility.NONE)
public class ReplicationLinkAggregate {
    /** The shape of this aggregate's snapshots. */
    public static final String SNAPSHOT_REVISION = "1";

    @AggregateIdentifier
    @JsonProperty("id")
    private String id;
    @JsonProperty("state")
    private ReplicationLinkState state;

    protected ReplicationLinkAggregate() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(EstablishLink command) {
        decideAndApply(command);
    }

    /** Creates the link if missing, as EstablishLink; answers as PlanReplication. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public Instant handle(EstablishAndPlan command) {
        decideAndApply(command);
        return ReplicationLinkDecider.nextLook(state, command.plan());
    }

    /** Answers when the link must be planned again if nothing else changes ({@link ReplicationLinkDecider#nextLook}). */
    @CommandHandler
    public Instant handle(PlanReplication command) {
        decideAndApply(command);
        return ReplicationLinkDecider.nextLook(state, command);
    }

    @CommandHandler
    public void handle(RecordTransferProgress command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(RecordTransferCompleted command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(RecordTransferFailed command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(CheckStall command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(PauseLink command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(ResumeLink command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(SyncNow command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(ResolveDivergence command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(RetireLink command) {
        decideAndApply(command);
    }

    @EventSourcingHandler
    public void on(LinkEvent event) {
        if (state == null) {
            state = ReplicationLinkState.initial(event.linkId());
            id = event.linkId().toString();
        }
        state = ReplicationLinkDecider.evolve(state, event);
    }

    /** The state so far (for snapshots and tests). */
    public ReplicationLinkState state() {
        return state;
    }

    private void decideAndApply(LinkCommand command) {
        ReplicationLinkState current = state != null ? state : ReplicationLinkState.initial(command.linkId());
        ReplicationLinkDecider.decide(current, command).forEach(AggregateLifecycle::apply);
    }
}
