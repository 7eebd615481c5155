package io.zsentinel.deploy.controller;

import io.zsentinel.core.messages.Envelope;
import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.Message;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.DatasetRegistered;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every domain event goes out keyed by its aggregate, under the Axon event's id and time, so consumers drop duplicates. */
class DomainEventPublisherTest {
    static final DatasetId VM1 = new DatasetId(ServerId.of("primary"), DatasetName.of("tank/vm1"));
    static final Instant STORED = Instant.parse("2026-11-25T10:00:03Z");
    static final DatasetRegistered EVENT = new DatasetRegistered(VM1, Instant.parse("2026-11-25T10:00:00Z"));

    final List<String[]> sent = new ArrayList<>();
    final DomainEventPublisher publisher = new DomainEventPublisher(DomainTypes.all(),
            (key, json) -> sent.add(new String[]{key, json}));

    Envelope<Message> published(int i) {
        return new EnvelopeCodec(DomainTypes.all()).decode(sent.get(i)[1]);
    }

    @Test
    void aDomainEventIsKeyedByItsAggregateUnderTheEventsIdAndTime() {
        UUID id = UUID.fromString("00000000-0000-0000-0000-0000000000ee");
        publisher.on(EVENT, new GenericDomainEventMessage<>("Dataset", VM1.toString(), 4, EVENT, MetaData.emptyInstance(),
                id.toString(), STORED));
        assertEquals(1, sent.size());
        assertEquals("primary:tank/vm1", sent.get(0)[0]);
        Envelope<Message> envelope = published(0);
        assertEquals(new Envelope<Message>(id, "DatasetRegistered", envelope.schemaVersion(), STORED, "controller", EVENT),
                envelope);
    }

    @Test
    void anEventIdThatIsNoUuidGivesTheSameMessageIdEveryTime() {
        for (int i = 0; i < 2; i++) {
            publisher.on(EVENT, new GenericDomainEventMessage<>("Dataset", VM1.toString(), 4, EVENT, MetaData.emptyInstance(),
                    "event-17", STORED));
        }
        UUID expected = UUID.nameUUIDFromBytes("event-17".getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, published(0).messageId());
        assertEquals(expected, published(1).messageId(), "redelivered: the same message id, dropped by consumers");
    }

    @Test
    void anEventOfNoAggregateIsKeyedByItsType() {
        publisher.on(EVENT, new GenericEventMessage<>(EVENT));
        assertEquals("DatasetRegistered", sent.get(0)[0]);
    }
}
