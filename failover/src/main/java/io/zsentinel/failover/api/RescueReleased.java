package io.zsentinel.failover.api;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.Objects;

/**
 * The release of {@code rescue} ended: destroyed ({@code released}) or refused by its agent ({@code detail} says
 * why; it is still kept and may be released again).
 */
public record RescueReleased(ServiceName service, ServerId server, DatasetName rescue, boolean released, String detail,
                             Instant at) implements RejoinEvent {
    public RescueReleased {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(rescue, "rescue");
        Objects.requireNonNull(at, "at");
        detail = detail == null ? "" : detail;
    }
}
