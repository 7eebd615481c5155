package io.zsentinel.deploy.agent;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises the changes of a dataset's role on one agent. The lease's self-demotion (its own thread) and the
 * controller's promotions and demotions (the command thread) each read the role and write it as one step, so a
 * self-demotion that read generation 1 never writes it back over the failover's demotion at generation 2.
 * Held only around the short read-and-write (a rollback and two property sets at most), never around a scan or a
 * send, so a lapsed lease is never kept waiting behind a slow command.
 */
final class RoleChanges {
    private final ReentrantLock lock = new ReentrantLock();

    <T> T exclusively(Supplier<T> change) {
        lock.lock();
        try {
            return change.get();
        } finally {
            lock.unlock();
        }
    }
}
