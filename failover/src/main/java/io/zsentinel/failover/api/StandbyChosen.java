package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code chosen} takes over {@code service} from {@code failedPrimary}; {@code reason} says why this one and not the
 * others. {@code dataLoss}: the age of its oldest newest-common snapshot. {@code forced}: the operator's order, null
 * when the rules chose on their own.
 */
public record StandbyChosen(ServiceName service, ServerId failedPrimary, ServerId chosen, Duration dataLoss,
                            String reason, OperatorOrder forced, Instant at) implements FailoverEvent {
    public StandbyChosen {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(failedPrimary, "failedPrimary");
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(dataLoss, "dataLoss");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
        if (chosen.equals(failedPrimary)) {
            throw new IllegalArgumentException("the failed primary " + failedPrimary + " cannot take over from itself");
        }
    }
}
