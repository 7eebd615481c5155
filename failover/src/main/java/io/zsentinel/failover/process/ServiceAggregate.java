package io.zsentinel.failover.process;

import io.zsentinel.failover.api.AcknowledgeFailover;
import io.zsentinel.failover.api.BeginFailover;
import io.zsentinel.failover.api.BeginSwitchover;
import io.zsentinel.failover.api.CheckFailover;
import io.zsentinel.failover.api.FailoverEvent;
import io.zsentinel.failover.api.RecordFinalSend;
import io.zsentinel.failover.api.RecordFinalSnapshot;
import io.zsentinel.failover.api.RecordHookOutcome;
import io.zsentinel.failover.api.RecordServiceCommandOutcome;
import io.zsentinel.failover.api.RegisterService;
import io.zsentinel.failover.api.ResumePrimary;
import io.zsentinel.failover.api.RetryDemotions;
import io.zsentinel.failover.api.ServiceCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.CreationPolicy;

/** The Axon shell around {@link ServiceDecider}: one per service, its failovers and switchovers step by step. */
public class ServiceAggregate {
    @AggregateIdentifier
    private String id;
    private ServiceState state;

    protected ServiceAggregate() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(RegisterService command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(BeginFailover command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(CheckFailover command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(RecordHookOutcome command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(RecordServiceCommandOutcome command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(AcknowledgeFailover command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(RetryDemotions command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(ResumePrimary command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(BeginSwitchover command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(RecordFinalSnapshot command) {
        decideAndApply(command);
    }

    @CommandHandler
    public void handle(RecordFinalSend command) {
        decideAndApply(command);
    }

    @EventSourcingHandler
    public void on(FailoverEvent event) {
        if (state == null) {
            state = ServiceState.initial(event.service());
            id = event.service().value();
        }
        state = ServiceDecider.evolve(state, event);
    }

    private void decideAndApply(ServiceCommand command) {
        ServiceState current = state != null ? state : ServiceState.initial(command.service());
        ServiceDecider.decide(current, command).forEach(AggregateLifecycle::apply);
    }
}
