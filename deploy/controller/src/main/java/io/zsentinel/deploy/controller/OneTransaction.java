package io.zsentinel.deploy.controller;

import io.zsentinel.deploy.store.AxonStore;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.Collection;
import java.util.Objects;

/**
 * Many commands in one Axon unit of work bound to one transaction: the commands sent while {@code work} runs
 * ({@code sendAndWait} on the simple command bus, same thread) run in nested units of work, their events go to this
 * one's queue and are appended together when it commits, and the aggregates they loaded stay locked (and loaded once)
 * until then. If anything fails, everything rolls back: no event of the work is stored and the aggregate caches forget
 * what it changed; what to do then (usually: the same commands again one at a time) is the caller's. One query before
 * the work finds which of the aggregates it may create have no history yet, so creating them reads nothing
 * ({@link AxonStore#withAbsentKnown}). The agent facts of a lane's batch ({@link LaneTransaction}) and a replication
 * pass's links go through it.
 */
public final class OneTransaction {
    private final TransactionManager transactions;
    private final AxonStore store;

    public OneTransaction(TransactionManager transactions, AxonStore store) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Runs {@code work} ({@code what} names it in Axon's unit of work) and commits; throws what made it fail, after the
     * rollback. {@code mayCreate}: the identifiers of the aggregates the work may create.
     */
    public void run(String what, Collection<String> mayCreate, Runnable work) {
        if (CurrentUnitOfWork.isStarted()) {
            throw new IllegalStateException(what + " runs in a unit of work of its own, not inside "
                    + CurrentUnitOfWork.get().getMessage());
        }
        UnitOfWork<?> unit = DefaultUnitOfWork.startAndGet(new GenericMessage<>(what));
        try {
            unit.attachTransaction(transactions);
            // Only while the commands run: the snapshotter, after the commit, reads what was stored.
            store.withAbsentKnown(mayCreate, work);
        } catch (RuntimeException | Error e) {
            unit.rollback(e);
            throw e;
        }
        unit.commit(); // a failing commit rolls back and throws
    }
}
