package io.zsentinel.replication.retention;

import java.util.List;

/** What to destroy now, and what a rule wanted gone but protection kept. Both oldest first. */
public record RetentionPlan(List<Expiry> destroy, List<Blocked> blocked) {
    public RetentionPlan {
        destroy = List.copyOf(destroy);
        blocked = List.copyOf(blocked);
    }
}
