package io.zsentinel.replication.api.link;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.replication.api.DatasetId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Replicate {@code source} to {@code targetDataset} on {@code targetServer}, at most every
 * {@code interval} (unless an operator asks for a sync now). {@code policy} null: {@link LinkPolicy#defaults()}.
 */
public record EstablishLink(DatasetId source, ServerId targetServer, DatasetName targetDataset, Duration interval,
                            LinkPolicy policy, Instant at) implements LinkCommand {
    public EstablishLink {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(targetServer, "targetServer");
        Objects.requireNonNull(targetDataset, "targetDataset");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(at, "at");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("replication interval " + interval + " must be positive");
        }
        policy = policy == null ? LinkPolicy.defaults() : policy;
        new LinkId(source, new DatasetId(targetServer, targetDataset)); // validates: not to itself
    }

    public EstablishLink(DatasetId source, ServerId targetServer, DatasetName targetDataset, Duration interval,
                         Instant at) {
        this(source, targetServer, targetDataset, interval, null, at);
    }

    @TargetAggregateIdentifier
    @Override
    public LinkId linkId() {
        return new LinkId(source, new DatasetId(targetServer, targetDataset));
    }
}
