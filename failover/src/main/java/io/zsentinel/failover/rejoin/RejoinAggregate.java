package io.zsentinel.failover.rejoin;

import io.zsentinel.failover.api.BeginRejoin;
import io.zsentinel.failover.api.RecordRejoinOutcome;
import io.zsentinel.failover.api.RejoinEvent;
import io.zsentinel.failover.api.ReleaseRescueOrder;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.CreationPolicy;

/** The Axon shell around {@link RejoinDecider}: one per service and former primary ({@code service@server}). */
public class RejoinAggregate {
    @AggregateIdentifier
    private String id;
    private RejoinState state = RejoinState.initial();

    protected RejoinAggregate() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(BeginRejoin command) {
        id = command.rejoinId();
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(RecordRejoinOutcome command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(ReleaseRescueOrder command) {
        decideAndApply(command);
    }

    @EventSourcingHandler
    public void on(RejoinEvent event) {
        id = RejoinEvent.rejoinId(event.service(), event.server());
        state = RejoinDecider.evolve(state, event);
    }

    private void decideAndApply(Object command) {
        RejoinDecider.decide(state, command).forEach(AggregateLifecycle::apply);
    }
}
