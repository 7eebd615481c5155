package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.choose.FailoverSituation;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Duration;
import java.util.Objects;

/**
 * An operator's planned switchover of {@code service} from its primary to standby {@code to} ({@code zsentinel
 * switchover <service> --to <standby> --reason …}), {@code by} whom and why. {@code situation}: the service's
 * primary and its standbys as the controller sees them now (health, maintenance, newest common snapshots);
 * {@code maxLag}: the oldest a standby's newest common snapshot may be (what is left to send must fit the bound);
 * {@code window}: how long the switchover may take before it is aborted (the old primary then serves again).
 */
public record BeginSwitchover(@TargetAggregateIdentifier ServiceName service, ServerId to, OperatorOrder by,
                              FailoverSituation situation, Duration maxLag, Duration window) implements ServiceCommand {
    public BeginSwitchover {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(situation, "situation");
        Objects.requireNonNull(maxLag, "maxLag");
        Objects.requireNonNull(window, "window");
        if (!situation.service().name().equals(service)) {
            throw new IllegalArgumentException("a switchover of " + service + " decided on the situation of "
                    + situation.service().name());
        }
        if (maxLag.isNegative() || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a switchover's lag bound must not be negative and its window must be"
                    + " positive, such as 5m, not " + maxLag + " and " + window);
        }
    }
}
