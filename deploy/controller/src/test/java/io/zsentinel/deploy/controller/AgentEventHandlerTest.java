package io.zsentinel.deploy.controller;

import io.zsentinel.core.messages.CoreMessages;
import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.MalformedMessageException;
import io.zsentinel.core.messages.Message;
import io.zsentinel.core.messages.facts.AgentHeartbeat;
import io.zsentinel.core.messages.facts.CommandCompleted;
import io.zsentinel.core.messages.facts.CommandRejected;
import io.zsentinel.core.messages.facts.PoolHealthReported;
import io.zsentinel.core.messages.facts.SnapshotInventoryReported;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.failover.api.RecordHeartbeat;
import io.zsentinel.replication.api.ReconcileInventory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fact's commands are sent and awaited; an aggregate's refusal as invalid dead-letters the fact with the reason,
 * a dataset never recorded is ignored, anything else propagates so the fact is retried.
 */
class AgentEventHandlerTest {
    static final ServerId PRIMARY = ServerId.of("primary");
    static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");
    static final EnvelopeCodec CODEC = new EnvelopeCodec(CoreMessages.types());

    final List<Object> sent = new ArrayList<>();
    /** What the gateway throws instead of accepting, when set. */
    RuntimeException failure;
    final AgentEventHandler handler = new AgentEventHandler(CODEC, new FactRouter(new NoLiveFacts()),
            (CommandGateway) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{CommandGateway.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("sendAndWait") && args.length == 1) {
                            if (failure != null) {
                                throw failure;
                            }
                            sent.add(args[0]);
                            return null;
                        }
                        throw new UnsupportedOperationException(method.getName());
                    }));

    static ConsumerRecord<String, String> record(String key, Message fact) {
        return new ConsumerRecord<>("zsentinel.agent-events", 0, 0, key, CODEC.encode(CODEC.wrap(fact, key, AT)));
    }

    static ConsumerRecord<String, String> outcome() {
        return record("primary", new CommandCompleted(PRIMARY, UUID.randomUUID(), "HoldSnapshot", "held",
                DatasetName.of("tank/vm1")));
    }

    @Test
    void aFactsCommandIsSentAndAwaited() {
        handler.handle(record("primary", new AgentHeartbeat(PRIMARY, 3, AT)));
        assertEquals(List.of(new RecordHeartbeat(PRIMARY, 3, AT)), sent);
    }

    @Test
    void aFactUnderAnotherServersKeySendsNothing() {
        assertThrows(MalformedMessageException.class, () -> handler.handle(record("standby",
                new AgentHeartbeat(PRIMARY, 3, AT))));
        assertEquals(List.of(), sent);
    }

    @Test
    void anOutcomeForADatasetNeverRecordedIsIgnored() {
        failure = new AggregateNotFoundException("primary:tank/vm1", "no such dataset");
        assertDoesNotThrow(() -> handler.handle(outcome()), "nothing to update, nothing to retry");
    }

    @Test
    void anAggregateRefusingTheCommandAsInvalidDeadLettersTheFactWithTheReason() {
        failure = new CommandExecutionException("refused", new IllegalArgumentException("guid 7 is not a snapshot of tank/vm1"));
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> handler.handle(outcome()));
        assertTrue(e.getMessage().contains("RecordCommandOutcome refused: guid 7 is not a snapshot of tank/vm1"),
                e.getMessage());

        failure = new IllegalArgumentException("at is before the dataset was registered");
        e = assertThrows(MalformedMessageException.class, () -> handler.handle(outcome()));
        assertTrue(e.getMessage().contains("at is before the dataset was registered"), e.getMessage());
    }

    @Test
    void anyOtherFailurePropagatesSoTheFactIsRetried() {
        failure = new CommandExecutionException("store down", new IllegalStateException("connection refused"));
        assertSame(failure, assertThrows(CommandExecutionException.class, () -> handler.handle(outcome())));

        failure = new IllegalStateException("timed out");
        assertSame(failure, assertThrows(IllegalStateException.class, () -> handler.handle(outcome())));
    }

    static SnapshotInfo snap(String name, long guid, long userRefs) {
        return new SnapshotInfo(DatasetName.of("tank/vm1").snapshot(name), new Guid(guid), guid, AT, 100 + guid, 1, userRefs);
    }

    ConsumerRecord<String, String> inventory(Instant at, SnapshotInfo... snapshots) {
        return record("primary", new SnapshotInventoryReported(PRIMARY, DatasetName.of("tank/vm1"), List.of(snapshots), at));
    }

    long sent(Class<?> type) {
        return sent.stream().filter(type::isInstance).count();
    }

    /** Issue 10: a fact that changes nothing costs no command, so no transaction and no database write. */
    @Test
    void anInventoryListingWhatTheLastAppliedOneListedIsNotSentAgain() {
        handler.handle(inventory(AT, snap("a", 1, 0), snap("b", 2, 0)));
        // a later report, other order, other sizes: reconciling compares guid, name and holds only
        handler.handle(inventory(AT.plusSeconds(60), new SnapshotInfo(snap("b", 2, 0).name(), new Guid(2), 2, AT, 999, 5, 0),
                snap("a", 1, 0)));
        assertEquals(1, sent(ReconcileInventory.class));

        handler.handle(inventory(AT.plusSeconds(120), snap("a", 1, 0), snap("b", 2, 1)));
        handler.handle(inventory(AT.plusSeconds(180), snap("a", 1, 0), snap("renamed", 2, 1)));
        handler.handle(inventory(AT.plusSeconds(240), snap("a", 1, 0)));
        assertEquals(4, sent(ReconcileInventory.class), "a hold, a rename and a snapshot gone are changes");
    }

    @Test
    void afterAnotherFactAboutTheDatasetOrAFailedSendTheSameInventoryIsSentAgain() {
        handler.handle(inventory(AT, snap("a", 1, 0)));
        handler.handle(record("primary", new io.zsentinel.core.messages.facts.SnapshotCreated(PRIMARY, snap("b", 2, 0),
                UUID.randomUUID())));
        handler.handle(inventory(AT.plusSeconds(60), snap("a", 1, 0)));
        assertEquals(2, sent(ReconcileInventory.class), "the snapshot recorded in between is gone from it");

        failure = new IllegalStateException("store down");
        assertThrows(IllegalStateException.class, () -> handler.handle(inventory(AT.plusSeconds(120), snap("a", 1, 0),
                snap("c", 3, 0))));
        failure = null;
        handler.handle(inventory(AT.plusSeconds(180), snap("a", 1, 0)));
        assertEquals(3, sent(ReconcileInventory.class), "what a failed command left is not known");
    }

    @Test
    void aHeartbeatOfARegisteredServerAndAnUnchangedPoolConditionAreNotSent() {
        handler.handle(record("primary", new AgentHeartbeat(PRIMARY, 3, AT)));
        handler.handle(record("primary", new AgentHeartbeat(PRIMARY, 3, AT.plusSeconds(5))));
        assertEquals(1, sent(RecordHeartbeat.class));

        PoolHealthReported healthy = new PoolHealthReported(PRIMARY, PoolName.of("tank"), PoolHealth.ONLINE, 40,
                1000, 400, 0, 0, 0, "", AT);
        handler.handle(record("primary", healthy));
        handler.handle(record("primary", new PoolHealthReported(PRIMARY, PoolName.of("tank"), PoolHealth.ONLINE, 40,
                1000, 400, 0, 0, 0, "", AT.plusSeconds(30))));
        handler.handle(record("primary", new PoolHealthReported(PRIMARY, PoolName.of("tank"), PoolHealth.DEGRADED, 40,
                1000, 400, 0, 0, 0, "a disk faulted", AT.plusSeconds(60))));
        assertEquals(2, sent(io.zsentinel.failover.api.RecordPoolHealth.class), "only the change is sent");
    }

    /** The live facts are not this test's concern. */
    static final class NoLiveFacts implements LiveFacts {
        @Override
        public void heartbeat(io.zsentinel.core.messages.facts.AgentHeartbeat heartbeat) {
        }

        @Override
        public void poolHealth(PoolHealthReported report) {
        }

        @Override
        public void poolReported(PoolHealthReported report) {
        }

        @Override
        public void snapshotDestroyed(ServerId server, Guid guid) {
        }

        @Override
        public void commandRejected(CommandRejected rejected) {
        }

        @Override
        public void inventoryReported(SnapshotInventoryReported report) {
        }
    }
}
