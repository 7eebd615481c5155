package io.zsentinel.deploy.controller;

import org.axonframework.commandhandling.gateway.CommandGateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends many independent sequences of commands (one per link, one per dataset) on a few threads of its own,
 * at most {@code inFlight} sequences at a time, and waits for all of them: the commands of one sequence go in
 * order and it stops at its first failure, while the others go on. The schedulers' ticks send with it, so a
 * pass is not one blocking round trip after another; what to make of each outcome stays the caller's.
 */
public final class CommandBatch implements AutoCloseable {
    /** One sequence's outcome: the results of the commands accepted, in order; the failure that stopped it, or null. */
    public record Outcome<K>(K key, List<Object> results, RuntimeException failure) {
    }

    private final ExecutorService workers;

    public CommandBatch(String name, int inFlight) {
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(inFlight, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Sends every sequence and waits for all; the outcomes in the order of {@code sequences}. */
    public <K> List<Outcome<K>> send(CommandGateway gateway, Map<K, ? extends List<?>> sequences) {
        List<K> keys = new ArrayList<>(sequences.size());
        List<List<Object>> results = new ArrayList<>(sequences.size());
        List<Future<?>> running = new ArrayList<>(sequences.size());
        sequences.forEach((key, commands) -> {
            List<Object> accepted = new ArrayList<>(commands.size());
            keys.add(key);
            results.add(accepted);
            running.add(workers.submit(() -> {
                for (Object command : commands) {
                    accepted.add(gateway.sendAndWait(command));
                }
            }));
        });
        List<Outcome<K>> outcomes = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            outcomes.add(new Outcome<>(keys.get(i), results.get(i), await(running.get(i))));
        }
        return outcomes;
    }

    /** The failure that ended the sequence, or null when all its commands were accepted. */
    private static RuntimeException await(Future<?> sequence) {
        try {
            sequence.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            sequence.cancel(true);
            Thread.currentThread().interrupt();
            return new IllegalStateException("interrupted while sending (the controller is stopping)", e);
        } catch (CancellationException e) {
            return new IllegalStateException("cancelled while sending (the controller is stopping)", e);
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
