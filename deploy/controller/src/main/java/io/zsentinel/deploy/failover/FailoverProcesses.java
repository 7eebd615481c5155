package io.zsentinel.deploy.failover;

import io.zsentinel.core.hooks.HookRunner;
import io.zsentinel.failover.api.BeginFailover;
import io.zsentinel.failover.api.FailoverStarted;
import io.zsentinel.failover.api.HookRequested;
import io.zsentinel.failover.api.RetryDemotions;
import io.zsentinel.failover.api.ServiceCommand;
import io.zsentinel.failover.service.ServiceCatalogue;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The controller's part of a failover besides the Service aggregate: the reactor that starts failovers when a server
 * is declared failed ({@link FailoverReactor}) and the runner of the services' hooks ({@link ServiceHooks}), each
 * on a processor of its own. Built before Axon's configuration, given the command gateway and the event store once
 * it exists.
 */
public final class FailoverProcesses {
    private static final Logger log = LoggerFactory.getLogger(FailoverProcesses.class);

    private final FailoverReactor reactor;
    private final ServiceHooks hooks;

    public FailoverProcesses(ServiceCatalogue services, Situations situations, Duration leaseAndMargin, Duration window,
                             Supplier<CommandGateway> commands, Supplier<EventStore> store, Clock clock) {
        this(services, situations, leaseAndMargin, window, commands, store, clock, () -> 0);
    }

    /** {@code lease}: hooks run only while it answers (the controller lease; see {@link ServiceHooks#onlyWhile}). */
    public FailoverProcesses(ServiceCatalogue services, Situations situations, Duration leaseAndMargin, Duration window,
                             Supplier<CommandGateway> commands, Supplier<EventStore> store, Clock clock,
                             LongSupplier lease) {
        this.reactor = new FailoverReactor(services, situations, leaseAndMargin, window,
                command -> send(commands.get(), command, describe(command)), clock);
        this.hooks = new ServiceHooks(services, new HookRunner(clock),
                outcome -> send(commands.get(), outcome, "the " + outcome.kind().text() + " hook's outcome of "
                        + outcome.service()),
                request -> startOf(store.get(), request), clock).onlyWhile(lease);
    }

    /**
     * Registers the reactor and the hook runner, each on a processor of its own: one thread, its token in the store,
     * starting at the store's head (a new controller acts on no old history).
     */
    public EventProcessingConfigurer register(EventProcessingConfigurer ep) {
        return fromHead(fromHead(ep, FailoverReactor.PROCESSOR, reactor), ServiceHooks.PROCESSOR, hooks);
    }

    private static EventProcessingConfigurer fromHead(EventProcessingConfigurer ep, String processor, Object handler) {
        return ep.registerTrackingEventProcessor(processor, Configuration::eventStore,
                        c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andInitialTrackingToken(StreamableMessageSource::createHeadToken))
                .assignHandlerInstancesMatching(processor, h -> h == handler)
                .registerEventHandler(c -> handler);
    }

    public FailoverReactor reactor() {
        return reactor;
    }

    private static String describe(ServiceCommand command) {
        if (command instanceof BeginFailover begin) {
            return begin.service() + "'s failover from " + begin.situation().failedPrimary();
        }
        if (command instanceof RetryDemotions retry) {
            return "the demotions of " + retry.service() + " on " + retry.server() + " ordered again (" + retry.why() + ")";
        }
        return command.toString();
    }

    /**
     * Sends and waits. A command the service refuses (its rules threw: an IllegalStateException or
     * IllegalArgumentException as it is on the local bus, wrapped in a CommandExecutionException on a distributed one;
     * or no such aggregate) is logged and dropped: sending it again would be refused again and hold up every later
     * event of the processor. Anything else (the store is down) propagates, so the processor retries the event.
     */
    private static void send(CommandGateway gateway, Object command, String what) {
        try {
            gateway.sendAndWait(command);
        } catch (CommandExecutionException | AggregateNotFoundException | IllegalStateException
                 | IllegalArgumentException e) {
            log.warn("{} was refused: {}", what, e.getMessage());
        }
    }

    /** The start of the failover a hook request belongs to, from the service's own events. */
    private static Optional<FailoverStarted> startOf(EventStore store, HookRequested request) {
        return store.readEvents(request.service().value()).asStream()
                .map(m -> m.getPayload())
                .filter(p -> p instanceof FailoverStarted s && s.failover().equals(request.failover()))
                .map(FailoverStarted.class::cast)
                .reduce((a, b) -> b);
    }
}
