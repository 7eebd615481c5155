package io.zsentinel.failover.server;

import io.zsentinel.failover.api.ChangeMaintenanceMode;
import io.zsentinel.failover.api.DeclareServerFailed;
import io.zsentinel.failover.api.RecordHeartbeat;
import io.zsentinel.failover.api.RecordPoolHealth;
import io.zsentinel.failover.api.ServerCommand;
import io.zsentinel.failover.api.ServerEvent;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.CreationPolicy;

/** The Axon shell around {@link ServerDecider}. */
public class StorageServerAggregate {
    @AggregateIdentifier
    private String id;
    private ServerState state;

    protected StorageServerAggregate() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(RecordHeartbeat command) {
        decideAndApply(command);
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(RecordPoolHealth command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(DeclareServerFailed command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(ChangeMaintenanceMode command) {
        decideAndApply(command);
    }

    @EventSourcingHandler
    public void on(ServerEvent event) {
        if (state == null) {
            state = ServerState.initial(event.server());
            id = event.server().value();
        }
        state = ServerDecider.evolve(state, event);
    }

    private void decideAndApply(ServerCommand command) {
        ServerState current = state != null ? state : ServerState.initial(command.server());
        ServerDecider.decide(current, command).forEach(AggregateLifecycle::apply);
    }
}
