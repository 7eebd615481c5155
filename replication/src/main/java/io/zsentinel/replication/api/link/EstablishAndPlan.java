package io.zsentinel.replication.api.link;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;
import java.util.Objects;

/**
 * A link's orders when the controller (re)establishes it, as one command: {@code establish}, then {@code plan}, then a
 * stall check at the plan's time, decided in that order on the state each leaves: exactly the events the three commands
 * would store one after another (a new link's history starts with its {@link ReplicationLinkEstablished}), for one
 * aggregate load and one command instead of three. The controller's first pass after a start sends one per link.
 */
public record EstablishAndPlan(EstablishLink establish, PlanReplication plan) implements LinkCommand {
    public EstablishAndPlan {
        Objects.requireNonNull(establish, "establish");
        Objects.requireNonNull(plan, "plan");
        if (!establish.linkId().equals(plan.linkId())) {
            throw new IllegalArgumentException("establish " + establish.linkId() + " and plan " + plan.linkId()
                    + " must be the same link");
        }
    }

    @TargetAggregateIdentifier
    @Override
    public LinkId linkId() {
        return plan.linkId();
    }

    /** The commands it stands for, in the order they are decided. */
    public List<LinkCommand> steps() {
        return List.of(establish, plan, new CheckStall(plan.linkId(), plan.now()));
    }
}
