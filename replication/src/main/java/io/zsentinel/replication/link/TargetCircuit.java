package io.zsentinel.replication.link;

/**
 * The circuit breaker of a link's target, as data: CLOSED below the failure threshold; OPEN from
 * then until the cool-down ends; HALF_OPEN after it, letting one attempt through (whose failure opens
 * it again, whose success closes it). The real Resilience4j breaker around the executor comes later;
 * this is the rule the aggregate keeps and replays.
 */
public enum TargetCircuit {
    CLOSED, OPEN, HALF_OPEN
}
