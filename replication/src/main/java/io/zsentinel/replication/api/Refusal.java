package io.zsentinel.replication.api;

import java.util.Objects;

/**
 * A rule refused an operator's order, and nothing was decided: {@link Kind#CONFLICT} when the order conflicts with
 * what the aggregate knows now (it may go through later, or after another step), {@link Kind#INVALID} when the order
 * itself is wrong. Says what was refused and why ({@link #reason()}) and what the operator can do instead
 * ({@link #correction()}). Any other exception out of a rule is a defect, not a refusal.
 */
public final class Refusal extends RuntimeException {
    public enum Kind {
        /** The order conflicts with the current state: 409 Conflict. */
        CONFLICT,
        /** The order names something that does not exist or cannot be done at all: 400 Bad Request. */
        INVALID
    }

    private final Kind kind;
    private final String reason;
    private final String correction;

    public Refusal(Kind kind, String reason, String correction) {
        super(requireText(reason, "reason") + "; " + requireText(correction, "correction"), null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.reason = reason;
        this.correction = correction;
    }

    public static Refusal conflict(String reason, String correction) {
        return new Refusal(Kind.CONFLICT, reason, correction);
    }

    public static Refusal invalid(String reason, String correction) {
        return new Refusal(Kind.INVALID, reason, correction);
    }

    public Kind kind() {
        return kind;
    }

    /** What was refused, and why. */
    public String reason() {
        return reason;
    }

    /** What the operator can do instead, in the command line's words. */
    public String correction() {
        return correction;
    }

    private static String requireText(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a refusal needs a " + what);
        }
        return text;
    }
}
