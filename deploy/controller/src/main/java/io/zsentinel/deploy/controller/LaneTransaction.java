package io.zsentinel.deploy.controller;

import io.zsentinel.core.kafka.BatchScope;
import io.zsentinel.deploy.store.AxonStore;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A lane's batch of agent facts in one Axon unit of work bound to one transaction ({@link OneTransaction}). The
 * commands sent while it runs ({@code sendAndWait} on the simple command bus, same thread) run in nested units of
 * work: their events go to this one's queue and are appended together when it commits, in one transaction, and the aggregates they loaded stay
 * locked until then. If anything fails, this unit of work rolls back: no event of the batch is stored, the aggregate
 * caches forget what the batch changed, and the consumer loop handles the facts again one at a time. Before it
 * starts, the batch's records are decoded once ({@link AgentEventHandler#prepare}) and one query finds which of the
 * datasets they report have no history yet, so creating them reads nothing ({@link AxonStore#withAbsentKnown}).
 * Knowledge that must wait for the commit is registered with {@link #afterCommit(Runnable)}.
 */
final class LaneTransaction implements BatchScope {
    private final OneTransaction transaction;
    private final AgentEventHandler handler;

    LaneTransaction(TransactionManager transactions, AxonStore store, AgentEventHandler handler) {
        this.transaction = new OneTransaction(transactions, store);
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    @Override
    public void inOne(List<ConsumerRecord<String, String>> records, Runnable work) {
        Set<String> mayCreate = handler.prepare(records);
        try {
            transaction.run("a lane's batch of agent facts", mayCreate, work);
        } finally {
            handler.forgetPrepared();
        }
    }

    /**
     * Runs {@code action} once what was done so far is committed: at once outside a batch (the command's own unit of
     * work has committed when {@code sendAndWait} returns), after the batch's commit inside one, never if it rolls back.
     */
    static void afterCommit(Runnable action) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(u -> action.run());
        } else {
            action.run();
        }
    }
}
