package io.zsentinel.deploy.controller;

import io.zsentinel.core.messages.Envelope;
import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.Message;
import io.zsentinel.core.messages.facts.SnapshotInventoryReported;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.core.messages.MalformedMessageException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One agent fact from Kafka → aggregate commands, each sent and awaited before the consumer may
 * commit the offset. An aggregate refusing a command as invalid makes the fact dead-lettered with
 * the reason; anything else (store down, timeout) propagates, so the fact is retried. A command that
 * would change nothing ({@link AppliedFacts}) is not sent. Called from several lanes at once, each
 * server's facts from one lane, in order. Inside a lane's batch ({@link LaneTransaction}) the commands' events are
 * committed with the batch, so what {@link AppliedFacts} learns waits for that commit.
 */
final class AgentEventHandler {
    private static final Logger log = LoggerFactory.getLogger(AgentEventHandler.class);
    private final EnvelopeCodec codec;
    private final FactRouter router;
    private final CommandGateway commands;
    private final AppliedFacts applied;
    /** The current batch's records, decoded by {@link #prepare} (an envelope, or the exception decoding threw). */
    private final ThreadLocal<Map<ConsumerRecord<String, String>, Object>> prepared = new ThreadLocal<>();

    AgentEventHandler(EnvelopeCodec codec, FactRouter router, CommandGateway commands) {
        this(codec, router, commands, new AppliedFacts());
    }

    AgentEventHandler(EnvelopeCodec codec, FactRouter router, CommandGateway commands, AppliedFacts applied) {
        this.codec = codec;
        this.router = router;
        this.commands = commands;
        this.applied = applied;
    }

    /**
     * Decodes a lane's batch before its transaction (each record once: {@link #handle} takes the envelope from here)
     * and answers the aggregates its inventories may create (datasets without an inventory applied since the start),
     * so that one query can tell which are new.
     */
    Set<String> prepare(List<ConsumerRecord<String, String>> records) {
        Map<ConsumerRecord<String, String>, Object> decoded = new IdentityHashMap<>();
        Set<String> created = new HashSet<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                Envelope<Message> envelope = codec.decode(record.value());
                decoded.put(record, envelope);
                if (envelope.payload() instanceof SnapshotInventoryReported r) {
                    DatasetId dataset = new DatasetId(r.server(), r.dataset());
                    if (!applied.knowsInventoryOf(dataset)) { // known: it exists (and an unchanged inventory asks nothing)
                        created.add(dataset.toString());
                    }
                }
            } catch (RuntimeException e) {
                decoded.put(record, e); // thrown when the record is handled, where it always was
            }
        }
        prepared.set(decoded);
        return created;
    }

    /** After the batch: what {@link #prepare} decoded is dropped. */
    void forgetPrepared() {
        prepared.remove();
    }

    void handle(ConsumerRecord<String, String> record) {
        for (Object command : router.commandsFor(record.key(), envelope(record))) {
            if (applied.changesNothing(command)) {
                continue;
            }
            applied.sending(command);
            try {
                commands.sendAndWait(command);
                LaneTransaction.afterCommit(() -> applied.applied(command));
            } catch (AggregateNotFoundException e) {
                // An outcome for a dataset the controller never recorded: nothing to update, nothing to retry.
                log.info("ignored {} for unknown {}", command.getClass().getSimpleName(), e.getAggregateIdentifier());
            } catch (CommandExecutionException | IllegalArgumentException e) {
                Throwable cause = e instanceof CommandExecutionException && e.getCause() != null ? e.getCause() : e;
                if (cause instanceof IllegalArgumentException) {
                    throw new MalformedMessageException(command.getClass().getSimpleName() + " refused: "
                            + cause.getMessage(), e);
                }
                throw e;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Envelope<Message> envelope(ConsumerRecord<String, String> record) {
        Map<ConsumerRecord<String, String>, Object> batch = prepared.get();
        Object decoded = batch == null ? null : batch.get(record);
        if (decoded instanceof RuntimeException e) {
            throw e;
        }
        return decoded != null ? (Envelope<Message>) decoded : codec.decode(record.value());
    }
}
