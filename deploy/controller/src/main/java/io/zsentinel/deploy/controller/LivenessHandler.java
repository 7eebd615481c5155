package io.zsentinel.deploy.controller;

import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.MalformedMessageException;
import io.zsentinel.core.messages.MessageTypes;
import io.zsentinel.core.messages.facts.AgentHeartbeat;
import io.zsentinel.core.messages.facts.PoolHealthReported;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * The liveness path: heartbeats and pool reports of the agent-facts topic, read by a consumer group of its own so
 * they never wait behind a burst of inventories in the ordered path. Every other fact is passed over after a look
 * at its type (its payload is not read). A liveness fact that is malformed is the ordered path's to dead-letter
 * (one dead letter per record): here it is only logged.
 */
final class LivenessHandler {
    private static final Logger log = LoggerFactory.getLogger(LivenessHandler.class);

    private final EnvelopeCodec codec;
    private final Set<String> types;
    private final AgentEventHandler facts;

    /** {@code facts} routes with {@link FactRouter.Path#LIVENESS}. */
    LivenessHandler(EnvelopeCodec codec, MessageTypes types, AgentEventHandler facts) {
        this.codec = codec;
        this.types = Set.of(types.of(AgentHeartbeat.class).name(), types.of(PoolHealthReported.class).name());
        this.facts = facts;
    }

    void handle(ConsumerRecord<String, String> record) {
        if (codec.typeOf(record.value()).filter(types::contains).isEmpty()) {
            return;
        }
        try {
            facts.handle(record);
        } catch (MalformedMessageException e) {
            log.warn("liveness path passed over {}-{}@{} (the ordered path dead-letters it): {}", record.topic(),
                    record.partition(), record.offset(), e.reason());
        }
    }
}
