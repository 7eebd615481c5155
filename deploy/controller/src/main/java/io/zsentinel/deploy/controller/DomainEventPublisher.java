package io.zsentinel.deploy.controller;

import io.zsentinel.core.kafka.PublishException;
import io.zsentinel.core.messages.Envelope;
import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.Message;
import io.zsentinel.core.messages.MessageTypes;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Publishes every domain event to {@code zsentinel.domain-events} (key = aggregate id), so delivery is
 * at-least-once and the Kafka message id is the Axon event id (consumers drop duplicates by it). Replays
 * of the projections never reach this handler (own processor, replay disallowed).
 * <p>
 * {@link #batched batched}: the processor hands over up to {@link #BATCH_SIZE} events in one unit of
 * work; each is sent at once without waiting, and before the unit of work commits (the processor's token
 * update is in the same transaction) the sink is flushed and every send of the batch must be acknowledged. One that is not fails
 * the batch: the transaction rolls back, the token stays before the batch and the processor sends the
 * whole batch again under the same message ids. Outside a unit of work an event is acknowledged before
 * {@link #on} returns.
 */
@DisallowReplay
public final class DomainEventPublisher {
    public static final String PROCESSOR = "domain-publisher";
    /** Events per processor batch: sent together, acknowledged together, one token update. */
    public static final int BATCH_SIZE = 1000;

    /** Sends one record and returns once the broker acknowledged it (or throws). */
    @FunctionalInterface
    public interface Sink {
        void sendAndWait(String key, String json);
    }

    /** Sends records without waiting for the broker. */
    @FunctionalInterface
    public interface AsyncSink {
        /** Completes when the broker acknowledged the record, exceptionally if it never will. */
        CompletableFuture<?> send(String key, String json);

        /** Sends at once what is held back for batching (linger); called once a batch, before its acks are awaited. */
        default void flush() {
        }

        static AsyncSink of(AsyncSink send, Runnable flush) {
            return new AsyncSink() {
                @Override
                public CompletableFuture<?> send(String key, String json) {
                    return send.send(key, json);
                }

                @Override
                public void flush() {
                    flush.run();
                }
            };
        }
    }

    private final MessageTypes types;
    private final EnvelopeCodec codec;
    private final AsyncSink sink;
    /** Where a unit of work keeps this publisher's outstanding acks. */
    private final String acksResource = DomainEventPublisher.class.getName() + ".acks@" + UUID.randomUUID();

    /** One send at a time: each event is acknowledged before the next one is sent. */
    public DomainEventPublisher(MessageTypes types, Sink sink) {
        this(types, (AsyncSink) (key, json) -> {
            sink.sendAndWait(key, json);
            return CompletableFuture.completedFuture(null);
        });
    }

    private DomainEventPublisher(MessageTypes types, AsyncSink sink) {
        this.types = types;
        this.codec = new EnvelopeCodec(types);
        this.sink = sink;
    }

    /** Sends without waiting and waits for all of a batch's acks before its unit of work commits. */
    public static DomainEventPublisher batched(MessageTypes types, AsyncSink sink) {
        return new DomainEventPublisher(types, sink);
    }

    /** The processor for {@link #PROCESSOR}: one thread, batches of {@link #BATCH_SIZE} events. */
    public static TrackingEventProcessorConfiguration processorConfiguration() {
        return TrackingEventProcessorConfiguration.forSingleThreadedProcessing().andBatchSize(BATCH_SIZE);
    }

    @EventHandler
    public void on(Message event, EventMessage<?> message) {
        MessageTypes.Type type = types.of(event.getClass());
        Envelope<Message> envelope = new Envelope<>(idOf(message), type.name(), type.version(),
                message.getTimestamp(), "controller", event);
        String key = message instanceof DomainEventMessage<?> d ? d.getAggregateIdentifier() : type.name();
        CompletableFuture<?> ack = sink.send(key, codec.encode(envelope));
        if (CurrentUnitOfWork.isStarted()) {
            acksOf(CurrentUnitOfWork.get().root()).add(ack);
        } else {
            Acks single = new Acks();
            single.add(ack);
            single.await(sink);
        }
    }

    private Acks acksOf(UnitOfWork<?> unitOfWork) {
        return unitOfWork.getOrComputeResource(acksResource, k -> {
            Acks acks = new Acks();
            unitOfWork.onPrepareCommit(u -> acks.await(sink));
            return acks;
        });
    }

    private static UUID idOf(EventMessage<?> message) {
        try {
            return UUID.fromString(message.getIdentifier());
        } catch (IllegalArgumentException notAUuid) {
            return UUID.nameUUIDFromBytes(message.getIdentifier().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The sends of one batch, awaited together. */
    private static final class Acks {
        private final List<CompletableFuture<?>> sends = new ArrayList<>();

        void add(CompletableFuture<?> send) {
            sends.add(send);
        }

        /** Returns when every send was acknowledged; throws once all have completed if any was not. */
        void await(AsyncSink sink) {
            try {
                sink.flush();
                CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PublishException("interrupted while waiting for the acks of " + sends.size()
                        + " domain events; the batch is rolled back and sent again", e);
            } catch (ExecutionException e) {
                long failed = sends.stream().filter(CompletableFuture::isCompletedExceptionally).count();
                Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null
                        ? c.getCause() : e.getCause();
                throw new PublishException(failed + " of " + sends.size() + " domain events were not acknowledged by"
                        + " Kafka (first error: " + cause + "); the batch is rolled back and sent again", cause);
            }
        }
    }
}
