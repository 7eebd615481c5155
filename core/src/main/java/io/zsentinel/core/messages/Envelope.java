package io.zsentinel.core.messages;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The versioned wrapper of every message on Kafka. {@code messageId} makes consumers idempotent;
 * {@code type} and {@code schemaVersion} let an old consumer refuse what it cannot read instead of
 * misreading it; {@code source} is the server id of an agent, or "controller".
 */
public record Envelope<T extends Message>(UUID messageId, String type, int schemaVersion, Instant occurredAt,
                                          String source, T payload) {
    public Envelope {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(payload, "payload");
    }
}
