package io.zsentinel.deploy.controller;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Sequences of commands sent side by side: each in order, each stopping at its own first failure. */
class CommandBatchTest {
    final List<Object> sent = Collections.synchronizedList(new ArrayList<>());

    CommandGateway gateway(Function<Object, Object> handler) {
        return (CommandGateway) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{CommandGateway.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sendAndWait") && args.length == 1) {
                        Object result = handler.apply(args[0]);
                        sent.add(args[0]);
                        return result;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void eachSequenceGoesInOrderAndStopsAtItsFirstFailureWhileTheOthersGoOn() {
        Map<String, List<String>> sequences = new LinkedHashMap<>();
        sequences.put("a", List.of("a1", "a2", "a3"));
        sequences.put("b", List.of("b1", "refused", "b3"));
        sequences.put("c", List.of());
        try (CommandBatch batch = new CommandBatch("test-batch", 2)) {
            List<CommandBatch.Outcome<String>> outcomes = batch.send(gateway(c -> {
                if (c.equals("refused")) {
                    throw new IllegalStateException("the aggregate refused " + c);
                }
                return c + " done";
            }), sequences);

            assertEquals(List.of("a", "b", "c"), outcomes.stream().map(CommandBatch.Outcome::key).toList(), "in the map's order");
            assertEquals(List.of("a1 done", "a2 done", "a3 done"), outcomes.get(0).results());
            assertNull(outcomes.get(0).failure());
            assertEquals(List.of("b1 done"), outcomes.get(1).results(), "what was accepted before the failure");
            assertEquals("the aggregate refused refused", outcomes.get(1).failure().getMessage());
            assertEquals(List.of(), outcomes.get(2).results());
            assertEquals(List.of("a1", "a2", "a3"), sent.stream().filter(c -> c.toString().startsWith("a")).toList());
            assertEquals(List.of("b1"), sent.stream().filter(c -> c.toString().startsWith("b")).toList(), "b3 never sent");
        }
    }

    @Test
    void twoSequencesAreUnderWayAtOnce() {
        CyclicBarrier both = new CyclicBarrier(2); // passes only when two commands are being handled at the same time
        try (CommandBatch batch = new CommandBatch("test-batch", 2)) {
            List<CommandBatch.Outcome<String>> outcomes = batch.send(gateway(c -> {
                try {
                    both.await(30, TimeUnit.SECONDS);
                    return "met";
                } catch (Exception e) {
                    throw new IllegalStateException("the other sequence was not under way: " + e, e);
                }
            }), Map.of("x", List.of("x1"), "y", List.of("y1")));
            outcomes.forEach(o -> assertNull(o.failure(), () -> o.failure().getMessage()));
        }
    }
}
