package io.zsentinel.failover.api;

import io.zsentinel.failover.choose.FailoverSituation;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Fail {@code service} over from {@code situation.failedPrimary()}, as the failure detector's verdict (or an operator's
 * {@code force}, null when automatic) and {@code situation} say, at {@code situation.now()}. {@code leaseLapsesAt}: when
 * the failed primary's lease has certainly run out (its agent has demoted itself), the latest moment promotion may
 * begin without a fence hook's word; {@code window}: how long the failover may take before it is aborted. The service
 * fills in its own block; a failover that runs already, or a failed server that is not the service's primary, leaves
 * it unchanged. Here rather than in {@code choose} because only {@code api} messages may carry Axon's routing
 * annotation (the layering test).
 */
public record BeginFailover(@TargetAggregateIdentifier ServiceName service, FailoverSituation situation,
                            ForceFailover force, Instant leaseLapsesAt, Duration window) implements ServiceCommand {
    /** The default window: a failover not serving after it is aborted. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

    public BeginFailover {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(situation, "situation");
        Objects.requireNonNull(leaseLapsesAt, "leaseLapsesAt");
        Objects.requireNonNull(window, "window");
        if (!situation.service().name().equals(service)) {
            throw new IllegalArgumentException("a failover of " + service + " decided on the situation of "
                    + situation.service().name());
        }
        if (force != null && !force.service().equals(service)) {
            throw new IllegalArgumentException("a failover of " + service + " forced by an order for " + force.service());
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a failover's window must be positive, such as 5m, not " + window);
        }
    }
}
