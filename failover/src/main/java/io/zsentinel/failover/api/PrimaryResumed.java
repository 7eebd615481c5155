package io.zsentinel.failover.api;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * {@code dataset} on {@code server}, stood down by its own lease at {@code from} while no failover replaced it, is
 * promoted back to the writable primary of {@code service} at {@code generation} (agent command {@code commandId}, no
 * rollback: nothing was written anywhere else meanwhile). The new generation fences every order of the old one.
 */
public record PrimaryResumed(ServiceName service, ServerId server, DatasetName dataset, long from, long generation,
                             UUID commandId, Instant at) implements FailoverEvent {
    public PrimaryResumed {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(at, "at");
    }
}
