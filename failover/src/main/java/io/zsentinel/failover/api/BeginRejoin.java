package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Rejoin {@code server}, a former primary of {@code service}, as a replica of {@code newPrimary} at {@code generation}
 * (the service's): per dataset, what lies after the common snapshot is kept aside and the dataset rolled back to it.
 * {@code health}: the server's as the failure detector sees it ({@code healthy} needed: its agent does the work);
 * {@code formerPrimary}: a failover or switchover took the service from it and none brought it back;
 * {@code failoverRunning}: a failover of the service is under way. {@code by}: who ordered it, and why.
 */
public record BeginRejoin(@TargetAggregateIdentifier String rejoinId, ServiceName service, ServerId server,
                          ServerId newPrimary, long generation, String health, boolean formerPrimary,
                          boolean failoverRunning, List<RejoinPlan> datasets, OperatorOrder by, Instant at) {
    public BeginRejoin {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
        datasets = List.copyOf(datasets);
        if (!RejoinEvent.rejoinId(service, server).equals(rejoinId)) {
            throw new IllegalArgumentException("the rejoin of " + server + " to " + service + " is "
                    + RejoinEvent.rejoinId(service, server) + ", not " + rejoinId);
        }
    }

    public BeginRejoin(ServiceName service, ServerId server, ServerId newPrimary, long generation, String health,
                       boolean formerPrimary, boolean failoverRunning, List<RejoinPlan> datasets, OperatorOrder by,
                       Instant at) {
        this(RejoinEvent.rejoinId(service, server), service, server, newPrimary, generation, health, formerPrimary,
                failoverRunning, datasets, by, at);
    }
}
