package io.zsentinel.failover.api;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** {@code by} ordered {@code rescue} (kept from {@code rescuedFrom}) destroyed; command {@code commandId}. Audited. */
public record RescueReleaseOrdered(ServiceName service, ServerId server, DatasetName rescue, DatasetName rescuedFrom,
                                   long generation, UUID commandId, OperatorOrder by, Instant at)
        implements RejoinEvent {
    public RescueReleaseOrdered {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(rescue, "rescue");
        Objects.requireNonNull(rescuedFrom, "rescuedFrom");
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
    }
}
