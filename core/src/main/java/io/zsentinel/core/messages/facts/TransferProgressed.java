package io.zsentinel.core.messages.facts;

import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** {@code bytes} of the stream have reached the target so far; {@code bytesPerSecond} over the last interval. */
public record TransferProgressed(ServerId server, UUID transferId, long bytes, long bytesPerSecond, Instant at,
                                 String link) implements AgentFact {
    public TransferProgressed(ServerId server, UUID transferId, long bytes, long bytesPerSecond, Instant at) {
        this(server, transferId, bytes, bytesPerSecond, at, "");
    }

    public TransferProgressed {
        link = link == null ? "" : link;
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(transferId, "transferId");
        Objects.requireNonNull(at, "at");
    }
}
