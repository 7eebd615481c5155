package io.zsentinel.failover.rejoin;

import java.util.List;

/** A rejoin the rules refuse, with every reason (what to do is part of each). Nothing was ordered. */
public final class RejoinRefused extends IllegalStateException {
    private final List<String> reasons;

    public RejoinRefused(List<String> reasons) {
        super(String.join("; ", reasons));
        this.reasons = List.copyOf(reasons);
    }

    public List<String> reasons() {
        return reasons;
    }
}
