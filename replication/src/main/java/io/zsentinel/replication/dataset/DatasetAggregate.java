package io.zsentinel.replication.dataset;

import io.zsentinel.replication.api.DatasetEvent;
import io.zsentinel.replication.api.ReconcileInventory;
import io.zsentinel.replication.api.RecordSnapshotGone;
import io.zsentinel.replication.api.RecordSnapshotTaken;
import io.zsentinel.replication.api.DatasetCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.CreationPolicy;

/** The Axon shell around {@link DatasetDecider}: load state, decide, apply. No rules live here. */
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
