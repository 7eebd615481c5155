package io.zsentinel.replication.api.link;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The state of a replication link, with its legal transitions listed once (Resilience4j style: an
 * illegal transition throws). Precedence when several hold: paused, diverged, failing (a retry in
 * flight is still failing: only a success ends it), transferring, lagging, in sync.
 */
public enum LinkState {
    IN_SYNC, LAGGING, TRANSFERRING, FAILING, DIVERGED, PAUSED;

    private static final Map<LinkState, Set<LinkState>> LEGAL = Map.of(
            IN_SYNC, EnumSet.of(LAGGING, TRANSFERRING, DIVERGED, PAUSED),
            LAGGING, EnumSet.of(IN_SYNC, TRANSFERRING, DIVERGED, PAUSED),
            TRANSFERRING, EnumSet.of(IN_SYNC, FAILING, DIVERGED, PAUSED),
            FAILING, EnumSet.of(IN_SYNC, DIVERGED, PAUSED),
            DIVERGED, EnumSet.of(LAGGING, FAILING, PAUSED),
            PAUSED, EnumSet.of(LAGGING, TRANSFERRING, FAILING, DIVERGED));

    /** The state a newly established link starts in: nothing is replicated yet. */
    public static final LinkState INITIAL = LAGGING;

    public boolean canBecome(LinkState next) {
        return LEGAL.get(this).contains(next);
    }

    public Set<LinkState> successors() {
        return LEGAL.get(this);
    }

    public LinkState transitionTo(LinkState next) {
        if (!canBecome(next)) {
            throw new IllegalStateException("illegal link state transition " + this + " -> " + next
                    + "; from " + this + " a link may become " + successors());
        }
        return next;
    }

    /** The name operators read: {@code in-sync}, {@code lagging}, ... */
    public String label() {
        return name().toLowerCase().replace('_', '-');
    }
}
