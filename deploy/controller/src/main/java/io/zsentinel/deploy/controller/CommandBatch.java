package io.zsentinel.deploy.controller;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Sends many independent sequences of commands (one per link, one per dataset) on a few threads of its own,
 * at most {@code inFlight} sequences at a time, and waits for all of them: the commands of one sequence go in
 * order and it stops at its first failure, while the others go on. The schedulers' ticks send with it, so a
 * pass is not one blocking round trip after another; what to make of each outcome stays the caller's.
 */
public final class CommandBatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CommandBatch.class);
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
            running.add(workers.submit(() -> sendAll(gateway, commands, accepted)));
        });
        List<Outcome<K>> outcomes = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            outcomes.add(new Outcome<>(keys.get(i), results.get(i), await(running.get(i))));
        }
        return outcomes;
    }

    /**
     * As {@link #send(CommandGateway, Map)}, {@code perTransaction} sequences in one transaction ({@link OneTransaction}):
     * one commit, and one load of each aggregate, for all their commands; {@code creates} names the aggregate a
     * sequence may create (its identifier; null: none), which then costs no read. A transaction that fails is undone
     * whole and its sequences sent again one at a time, each in transactions of its own commands as {@code send} does:
     * a sequence that fails costs the others of its transaction a second try, never their outcome.
     */
    public <K> List<Outcome<K>> send(CommandGateway gateway, Map<K, ? extends List<?>> sequences,
                                     OneTransaction transaction, int perTransaction, Function<K, String> creates) {
        if (perTransaction < 1) {
            throw new IllegalArgumentException("sequences per transaction must be at least 1, not " + perTransaction);
        }
        List<Map.Entry<K, ? extends List<?>>> all = new ArrayList<>(sequences.entrySet());
        List<Future<List<Outcome<K>>>> running = new ArrayList<>();
        for (int from = 0; from < all.size(); from += perTransaction) {
            List<Map.Entry<K, ? extends List<?>>> part = all.subList(from, Math.min(all.size(), from + perTransaction));
            running.add(workers.submit(() -> inOne(gateway, part, transaction, creates)));
        }
        List<Outcome<K>> outcomes = new ArrayList<>(all.size());
        for (int i = 0; i < running.size(); i++) {
            int from = i * perTransaction;
            List<Map.Entry<K, ? extends List<?>>> part = all.subList(from, Math.min(all.size(), from + perTransaction));
            try {
                outcomes.addAll(running.get(i).get());
            } catch (ExecutionException | InterruptedException | CancellationException e) {
                RuntimeException failure = failure(running.get(i), e);
                part.forEach(sequence -> outcomes.add(new Outcome<>(sequence.getKey(), List.of(), failure)));
            }
        }
        return outcomes;
    }

    private static <K> List<Outcome<K>> inOne(CommandGateway gateway, List<Map.Entry<K, ? extends List<?>>> part,
                                              OneTransaction transaction, Function<K, String> creates) {
        List<String> mayCreate = new ArrayList<>();
        part.forEach(sequence -> {
            String created = creates.apply(sequence.getKey());
            if (created != null) {
                mayCreate.add(created);
            }
        });
        List<Outcome<K>> outcomes = new ArrayList<>(part.size());
        try {
            transaction.run("a batch of " + part.size() + " command sequences", mayCreate, () -> {
                outcomes.clear();
                for (Map.Entry<K, ? extends List<?>> sequence : part) {
                    List<Object> accepted = new ArrayList<>(sequence.getValue().size());
                    sendAll(gateway, sequence.getValue(), accepted);
                    outcomes.add(new Outcome<>(sequence.getKey(), accepted, null));
                }
            });
            return outcomes;
        } catch (RuntimeException e) {
            log.debug("a batch of {} command sequences failed ({}): undone, sent again one at a time", part.size(),
                    e.getMessage());
        }
        outcomes.clear();
        for (Map.Entry<K, ? extends List<?>> sequence : part) {
            List<Object> accepted = new ArrayList<>(sequence.getValue().size());
            RuntimeException failure = null;
            try {
                sendAll(gateway, sequence.getValue(), accepted);
            } catch (RuntimeException e) {
                failure = e;
            }
            outcomes.add(new Outcome<>(sequence.getKey(), accepted, failure));
        }
        return outcomes;
    }

    /** Sends the sequence's commands in order, adding each result to {@code accepted}; stops at the first that fails. */
    private static void sendAll(CommandGateway gateway, List<?> commands, List<Object> accepted) {
        for (Object command : commands) {
            accepted.add(gateway.sendAndWait(command));
        }
    }

    /** The failure that ended the sequence, or null when all its commands were accepted. */
    private static RuntimeException await(Future<?> sequence) {
        try {
            sequence.get();
            return null;
        } catch (ExecutionException | InterruptedException | CancellationException e) {
            return failure(sequence, e);
        }
    }

    /** What {@code waited.get()} threw, as the failure of what it waited for. */
    private static RuntimeException failure(Future<?> waited, Exception thrown) {
        if (thrown instanceof ExecutionException e) {
            return e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        if (thrown instanceof InterruptedException) {
            waited.cancel(true);
            Thread.currentThread().interrupt();
            return new IllegalStateException("interrupted while sending (the controller is stopping)", thrown);
        }
        return new IllegalStateException("cancelled while sending (the controller is stopping)", thrown);
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
