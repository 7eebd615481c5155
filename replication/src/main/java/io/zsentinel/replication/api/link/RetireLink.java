package io.zsentinel.replication.api.link;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Objects;

/** The link is no longer in the configuration: release what it protects on the source. */
public record RetireLink(@TargetAggregateIdentifier LinkId linkId, String reason, Instant at) implements LinkCommand {
    public RetireLink {
        Objects.requireNonNull(linkId, "linkId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
    }
}
