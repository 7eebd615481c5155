package io.zsentinel.replication.dataset;

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

/**
 * The Axon shell around {@link DatasetDecider}: load state, decide, apply. No rules live here.
 * Facts may create the aggregate (first sighting); operator and retention commands need it to exist.
 */
public class DatasetAggregate {
    @AggregateIdentifier
    private String id;
    private DatasetState state;

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
        DatasetDecider.CapacityOutcome outcome = DatasetDecider.pruneForCapacity(state, command);
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
            state = DatasetState.initial(event.id());
            id = event.id().toString();
        }
        state = DatasetDecider.evolve(state, event);
    }

    private void decideAndApply(DatasetCommand command) {
        DatasetState current = state != null ? state : DatasetState.initial(command.id());
        DatasetDecider.decide(current, command).forEach(AggregateLifecycle::apply);
    }
}
