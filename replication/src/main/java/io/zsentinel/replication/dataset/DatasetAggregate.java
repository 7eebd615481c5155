package io.zsentinel.replication.dataset;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.zsentinel.replication.api.AssignRetentionPolicy;
import io.zsentinel.replication.api.DatasetCommand;
import io.zsentinel.replication.api.DatasetEvent;
import io.zsentinel.replication.api.EvaluateRetention;
import io.zsentinel.replication.api.OrderRestore;
import io.zsentinel.replication.api.OrderRollback;
import io.zsentinel.replication.api.ProtectSnapshot;
import io.zsentinel.replication.api.PruneDecision;
import io.zsentinel.replication.api.PruneForCapacity;
import io.zsentinel.replication.api.ReconcileInventory;
import io.zsentinel.replication.api.RecordCommandOutcome;
import io.zsentinel.replication.api.RecordSnapshotGone;
import io.zsentinel.replication.api.RecordSnapshotTaken;
import io.zsentinel.replication.api.ReleaseCheckpoint;
import io.zsentinel.replication.api.ReleaseProtection;
import io.zsentinel.replication.api.TakeCheckpoint;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.serialization.Revision;

/**
 * The Axon shell around {@link DatasetDecider}: load state, decide, apply. No rules live here.
 * Facts may create the aggregate (first sighting); operator and retention commands need it to exist.
 * <p>
 * Events fold into a {@link DatasetEvolution} in place (linear in the history); a command decides on
 * its frozen {@link DatasetState}. Axon's snapshots of this aggregate are its JSON ({@code id} and
 * {@code state}, the latter in the {@link CompactState} form); {@link #SNAPSHOT_REVISION} names their
 * shape: bump it whenever that JSON changes, so that snapshots of another shape are ignored (a full
 * replay, after which Axon snapshots the aggregate anew) and never read half-right.
 */
@Revision(DatasetAggregate.SNAPSHOT_REVISION)
@JsonAutoDetect(fieldVisibility = Visibility.NONE, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE, creatorVisibility = Visibility.NONE)
public class DatasetAggregate {
    /** The shape of this aggregate's snapshots: 1 the state's plain JSON, 2 its {@link CompactState}. */
    public static final String SNAPSHOT_REVISION = "2";

    @AggregateIdentifier
    @JsonProperty("id")
    private String id;
    private DatasetEvolution state;

    protected DatasetAggregate() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(ReconcileInventory command) {
        decideAndApply(command);
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(RecordSnapshotTaken command) {
        decideAndApply(command);
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(RecordSnapshotGone command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(AssignRetentionPolicy command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(EvaluateRetention command) {
        decideAndApply(command);
    }

    @CommandHandler
    public PruneDecision handle(PruneForCapacity command) {
        DatasetDecider.CapacityOutcome outcome = DatasetDecider.pruneForCapacity(state(), command);
        outcome.events().forEach(AggregateLifecycle::apply);
        return outcome.decision();
    }

    @CommandHandler
    public void handle(TakeCheckpoint command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(ReleaseCheckpoint command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(OrderRollback command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(OrderRestore command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(ProtectSnapshot command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(ReleaseProtection command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(RecordCommandOutcome command) {
        decideAndApply(command);
    }

    @EventSourcingHandler
    public void on(DatasetEvent event) {
        if (state == null) {
            state = new DatasetEvolution(DatasetState.initial(event.id()));
            id = event.id().toString();
        }
        state.apply(event);
    }

    /** The state so far (for snapshots and tests); immutable. */
    @JsonProperty("state")
    @JsonSerialize(using = CompactState.Writer.class)
    public DatasetState state() {
        return state == null ? null : state.state();
    }

    /** From a snapshot. */
    @JsonProperty("state")
    @JsonDeserialize(using = CompactState.Reader.class)
    private void restore(DatasetState snapshot) {
        state = snapshot == null ? null : new DatasetEvolution(snapshot);
    }

    private void decideAndApply(DatasetCommand command) {
        DatasetState current = state != null ? state.state() : DatasetState.initial(command.id());
        DatasetDecider.decide(current, command).forEach(AggregateLifecycle::apply);
    }
}
