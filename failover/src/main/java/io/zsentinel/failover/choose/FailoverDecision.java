package io.zsentinel.failover.choose;

import io.zsentinel.failover.api.FailoverCandidateEvaluated;
import io.zsentinel.failover.api.FailoverEvent;
import io.zsentinel.failover.api.FailoverRefused;
import io.zsentinel.failover.api.StandbyChosen;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Every candidate's evaluation, in preference order, then the outcome: {@link StandbyChosen} or {@link FailoverRefused}. */
public record FailoverDecision(List<FailoverCandidateEvaluated> evaluations, FailoverEvent outcome) {
    public FailoverDecision {
        evaluations = List.copyOf(evaluations);
        Objects.requireNonNull(outcome, "outcome");
        if (!(outcome instanceof StandbyChosen) && !(outcome instanceof FailoverRefused)) {
            throw new IllegalArgumentException("a failover decision ends in StandbyChosen or FailoverRefused, not " + outcome);
        }
    }

    /** The events to record, in order. */
    public List<FailoverEvent> events() {
        List<FailoverEvent> events = new ArrayList<>(evaluations);
        events.add(outcome);
        return events;
    }

    public Optional<StandbyChosen> chosen() {
        return outcome instanceof StandbyChosen c ? Optional.of(c) : Optional.empty();
    }

    public Optional<FailoverRefused> refused() {
        return outcome instanceof FailoverRefused r ? Optional.of(r) : Optional.empty();
    }
}
