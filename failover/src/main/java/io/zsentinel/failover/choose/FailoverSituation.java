package io.zsentinel.failover.choose;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.detect.Health;
import io.zsentinel.failover.service.ServiceDefinition;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Everything a failover decision of {@code service} away from {@code failedPrimary} depends on, at {@code now}.
 * {@code datasets}: the service's datasets on the primary (its last inventory; on the configured primary named by the
 * service's pattern, elsewhere the copies of those). {@code candidates}: what is known
 * of each standby (a standby missing here is unheard). {@code primaryHealth} and {@code primaryMaintenance}: the
 * failure detector's verdict on the primary. {@code blockedBy}: why automatic failover of the service is blocked
 * (an earlier failover not yet acknowledged), null when it is not.
 */
public record FailoverSituation(ServiceDefinition service, ServerId failedPrimary, Health primaryHealth,
                                boolean primaryMaintenance, Set<DatasetName> datasets, Map<ServerId, Candidate> candidates,
                                String blockedBy, Instant now) {
    public FailoverSituation {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(failedPrimary, "failedPrimary");
        Objects.requireNonNull(primaryHealth, "primaryHealth");
        Objects.requireNonNull(now, "now");
        SortedSet<DatasetName> sorted = new TreeSet<>(datasets);
        for (DatasetName d : sorted) {
            // on another server than the configured primary the copies carry that server's names (standby/vm1 for
            // tank/vm1), matched by the replication links
            if (failedPrimary.equals(service.primary()) && !service.serves(d)) {
                throw new IllegalArgumentException(d + " is not a dataset of service " + service.name() + " ("
                        + service.datasets() + ")");
            }
        }
        datasets = java.util.Collections.unmodifiableSortedSet(sorted);
        candidates = Map.copyOf(candidates);
        candidates.forEach((id, c) -> {
            if (!c.server().equals(id)) {
                throw new IllegalArgumentException("candidate " + c.server() + " filed under " + id);
            }
        });
    }

    public Candidate candidate(ServerId server) {
        return candidates.getOrDefault(server, Candidate.unheard(server));
    }
}
