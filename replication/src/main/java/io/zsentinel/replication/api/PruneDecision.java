package io.zsentinel.replication.api;

/** The answer to {@link PruneForCapacity}: pruned (or already being pruned), or refused and why. */
public record PruneDecision(boolean accepted, String reason) {
    public static PruneDecision accepted(String reason) {
        return new PruneDecision(true, reason);
    }

    public static PruneDecision refused(String reason) {
        return new PruneDecision(false, reason);
    }
}
