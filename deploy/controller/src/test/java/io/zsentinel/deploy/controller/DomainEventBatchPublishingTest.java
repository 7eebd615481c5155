package io.zsentinel.deploy.controller;

import io.zsentinel.core.kafka.MessagePublisher;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.store.AxonStore;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.DatasetRegistered;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.StreamableMessageSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The publisher's processor over a real Axon tracking processor (in-memory store and token store) and a
 * fake producer whose acks the test gives: a batch goes out whole before any ack, a batch with a failed
 * send leaves the token where it was and is sent again under the same keys and message ids.
 */
class DomainEventBatchPublishingTest {
    static final String TOPIC = "zsentinel.domain-events";
    static final int EVENTS = 10;

    final MockProducer<String, String> producer = new MockProducer<>(false, null, new StringSerializer(),
            new StringSerializer());
    final MessagePublisher kafka = new MessagePublisher(producer);
    final InMemoryTokenStore tokens = new InMemoryTokenStore();
    final AtomicInteger flushes = new AtomicInteger();
    Configuration axon;

    @AfterEach
    void stop() {
        while (producer.completeNext()) {
            // lets a processor waiting for acks finish its batch
        }
        if (axon != null) {
            axon.shutdown();
        }
    }

    void start(List<EventMessage<?>> events) {
        DomainEventPublisher publisher = DomainEventPublisher.batched(DomainTypes.all(),
                DomainEventPublisher.AsyncSink.of((key, json) -> kafka.publish(TOPIC, key, json), flushes::incrementAndGet));
        axon = AxonStore.newConfigurer()
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine())
                .eventProcessing(ep -> ep
                        .registerTrackingEventProcessor(DomainEventPublisher.PROCESSOR, Configuration::eventStore,
                                // from the first event: a new processor's default start treats stored events as a replay
                                c -> DomainEventPublisher.processorConfiguration()
                                        .andInitialTrackingToken(StreamableMessageSource::createTailToken))
                        .registerTokenStore(DomainEventPublisher.PROCESSOR, c -> tokens)
                        .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance())
                        .registerDefaultErrorHandler(c -> PropagatingErrorHandler.instance())
                        .assignHandlerInstancesMatching(DomainEventPublisher.PROCESSOR, h -> h == publisher)
                        .registerEventHandler(c -> publisher))
                .buildConfiguration();
        axon.eventStore().publish(events);
        axon.start();
    }

    static List<EventMessage<?>> datasetsRegistered(int count) {
        Instant at = Instant.parse("2026-12-01T00:00:00Z");
        return IntStream.range(0, count).<EventMessage<?>>mapToObj(i -> {
            DatasetId id = new DatasetId(ServerId.of("primary"), DatasetName.of("tank/vm" + (i % 3)));
            return new GenericDomainEventMessage<>("Dataset", id.toString(), i / 3, new DatasetRegistered(id, at));
        }).toList();
    }

    /** The stored token's position, -1 before the first batch was committed. */
    long storedPosition() {
        TrackingToken token = tokens.fetchToken(DomainEventPublisher.PROCESSOR, 0);
        return token == null ? -1 : token.position().orElse(-1);
    }

    int sent() {
        return producer.history().size();
    }

    @Test
    void aBatchWithAFailedSendKeepsItsTokenAndIsSentAgainWholeUnderTheSameIds() {
        start(datasetsRegistered(EVENTS));

        await("the whole batch sent before any ack").atMost(Duration.ofSeconds(30)).until(() -> sent() == EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            if (i == 3) {
                producer.errorNext(new TimeoutException("expired before the broker acknowledged it"));
            } else {
                producer.completeNext();
            }
        }

        await("the batch sent again").atMost(Duration.ofSeconds(30)).until(() -> sent() == 2 * EVENTS);
        assertEquals(-1, storedPosition(), "the token must not advance past a batch with an unacknowledged event");
        List<ProducerRecord<String, String>> history = new ArrayList<>(producer.history());
        for (int i = 0; i < EVENTS; i++) {
            ProducerRecord<String, String> first = history.get(i);
            ProducerRecord<String, String> again = history.get(EVENTS + i);
            assertEquals(first.key(), again.key(), "same key (aggregate id), in the same order");
            assertEquals(first.value(), again.value(), "same envelope, so the same message id for consumers to drop");
        }

        while (producer.completeNext()) {
            // every send of the second attempt acknowledged
        }
        await("the token after the acknowledged batch").atMost(Duration.ofSeconds(30))
                .until(() -> storedPosition() == EVENTS - 1);
        assertEquals(2 * EVENTS, sent(), "nothing sent a third time");
    }

    @Test
    void theTokenStaysBeforeABatchUntilItsLastAckArrives() {
        start(datasetsRegistered(EVENTS));

        await("the whole batch sent before any ack").atMost(Duration.ofSeconds(30)).until(() -> sent() == EVENTS);
        for (int i = 0; i < EVENTS - 1; i++) {
            producer.completeNext();
        }
        await("what the producer held back flushed before the acks are awaited").atMost(Duration.ofSeconds(30))
                .until(() -> flushes.get() == 1);
        assertEquals(-1, storedPosition(), "one ack is still missing");

        producer.completeNext();
        await("the token after the last ack").atMost(Duration.ofSeconds(30))
                .until(() -> storedPosition() == EVENTS - 1);
        assertEquals(EVENTS, sent());
        assertEquals(1, flushes.get(), "one flush per batch");
    }
}
