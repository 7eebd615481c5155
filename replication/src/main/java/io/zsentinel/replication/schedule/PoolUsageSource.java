package io.zsentinel.replication.schedule;

import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The port through which the capacity schedule reads the pools' usage reports and the destroy facts, in the
 * order the controller received them ({@code sequence}, {@link #position()}).
 */
public interface PoolUsageSource {
    /** A pool's newest usage report, with the controller's time of arrival and its place in the order of arrival. */
    record Report(ServerId server, PoolName pool, int capacityPercent, Instant receivedAt, long sequence) {
        public Report {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(pool, "pool");
        }
    }

    /** The newest report of every pool. */
    List<Report> reports();

    /** The current position in the order of arrival, to compare later facts with. */
    long position();

    /** True once the snapshot's destroy fact arrived and, after it, a usage report of its pool. */
    boolean reportedAfterDestroy(ServerId server, PoolName pool, Guid guid);

    /** True when a destroy on {@code pool} was refused after {@code position}. */
    boolean destroyRefusedSince(ServerId server, PoolName pool, long position);

    /** Forgets a destroy once it has been acted on. */
    void forget(ServerId server, Guid guid);
}
