package io.zsentinel.failover.api;

import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.detect.Health;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One standby weighed for taking over {@code service} from {@code failedPrimary}, whether chosen or not ("why this
 * replica?"). {@code preference}: its place in the configured standbys, 1 first. {@code commonSnapshots}: per dataset
 * of the service, the newest snapshot it shares with the primary; {@code dataLoss}: the age at {@code at} of the
 * oldest of those (what a failover to it would lose at most), null when a dataset has none. {@code eligible}
 * exactly when {@code ineligible} is empty; {@code why} says it in words.
 */
public record FailoverCandidateEvaluated(ServiceName service, ServerId failedPrimary, ServerId candidate, int preference,
                                         Health health, boolean maintenance, List<CommonSnapshot> commonSnapshots,
                                         Duration dataLoss, Duration maxDataLoss, Set<Ineligible> ineligible,
                                         String why, Instant at) implements FailoverEvent {
    public FailoverCandidateEvaluated {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(failedPrimary, "failedPrimary");
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(maxDataLoss, "maxDataLoss");
        Objects.requireNonNull(why, "why");
        Objects.requireNonNull(at, "at");
        commonSnapshots = List.copyOf(commonSnapshots);
        ineligible = ineligible.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(ineligible));
    }

    public boolean eligible() {
        return ineligible.isEmpty();
    }
}
