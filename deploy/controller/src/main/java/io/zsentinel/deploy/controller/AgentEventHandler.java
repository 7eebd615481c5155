package io.zsentinel.deploy.controller;

import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.MalformedMessageException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent fact from Kafka → aggregate commands, each sent and awaited before the consumer may
 * commit the offset. An aggregate refusing a command as invalid makes the fact dead-lettered with
 * the reason; anything else (store down, timeout) propagates, so the fact is retried. A command that
 * would change nothing ({@link AppliedFacts}) is not sent. Called from several lanes at once, each
 * server's facts from one lane, in order.
 */
final class AgentEventHandler {
    private static final Logger log = LoggerFactory.getLogger(AgentEventHandler.class);
    private final EnvelopeCodec codec;
    private final FactRouter router;
    private final CommandGateway commands;
    private final AppliedFacts applied;

    AgentEventHandler(EnvelopeCodec codec, FactRouter router, CommandGateway commands) {
        this(codec, router, commands, new AppliedFacts());
    }

    AgentEventHandler(EnvelopeCodec codec, FactRouter router, CommandGateway commands, AppliedFacts applied) {
        this.codec = codec;
        this.router = router;
        this.commands = commands;
        this.applied = applied;
    }

    void handle(ConsumerRecord<String, String> record) {
        for (Object command : router.commandsFor(record.key(), codec.decode(record.value()))) {
            if (applied.changesNothing(command)) {
                continue;
            }
            applied.sending(command);
            try {
                commands.sendAndWait(command);
                applied.applied(command);
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
}
