package io.zsentinel.deploy.controller;

import io.zsentinel.core.messages.Envelope;
import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.Message;
import io.zsentinel.core.messages.MessageTypes;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Publishes every domain event to {@code zsentinel.domain-events} (key = aggregate id), waiting for
 * the broker's ack: the processor's token advances only after it, so delivery is at-least-once and
 * the Kafka message id is the Axon event id (consumers drop duplicates by it). Replays of the
 * projections never reach this handler (own processor, replay disallowed).
 */
@DisallowReplay
public final class DomainEventPublisher {
    public static final String PROCESSOR = "domain-publisher";

    /** Sends one record and returns once the broker acknowledged it (or throws). */
    @FunctionalInterface
    public interface Sink {
        void sendAndWait(String key, String json);
    }

    private final MessageTypes types;
    private final EnvelopeCodec codec;
    private final Sink sink;

    public DomainEventPublisher(MessageTypes types, Sink sink) {
        this.types = types;
        this.codec = new EnvelopeCodec(types);
        this.sink = sink;
    }

    @EventHandler
    public void on(Message event, EventMessage<?> message) {
        MessageTypes.Type type = types.of(event.getClass());
        Envelope<Message> envelope = new Envelope<>(idOf(message), type.name(), type.version(),
                message.getTimestamp(), "controller", event);
        String key = message instanceof DomainEventMessage<?> d ? d.getAggregateIdentifier() : type.name();
        sink.sendAndWait(key, codec.encode(envelope));
    }

    private static UUID idOf(EventMessage<?> message) {
        try {
            return UUID.fromString(message.getIdentifier());
        } catch (IllegalArgumentException notAUuid) {
            return UUID.nameUUIDFromBytes(message.getIdentifier().getBytes(StandardCharsets.UTF_8));
        }
    }
}
