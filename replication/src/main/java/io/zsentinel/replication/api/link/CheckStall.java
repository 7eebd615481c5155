package io.zsentinel.replication.api.link;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;

/** The controller's tick: is the transfer in flight still moving? */
public record CheckStall(@TargetAggregateIdentifier LinkId linkId, Instant now) implements LinkCommand {
    public CheckStall {
        Objects.requireNonNull(linkId, "linkId");
        Objects.requireNonNull(now, "now");
    }
}
