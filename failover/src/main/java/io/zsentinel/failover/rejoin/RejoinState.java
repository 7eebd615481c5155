package io.zsentinel.failover.rejoin;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.RejoinCompleted;
import io.zsentinel.failover.api.RejoinPlan;
import io.zsentinel.failover.api.ServiceName;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the rejoins of one server to one service have left: the rejoin that runs ({@code running}, null when none),
 * how many were started ({@code attempts}, part of every command id) and the rescues kept and not released, by name.
 */
public record RejoinState(ServiceName service, ServerId server, int attempts, Running running,
                          Map<DatasetName, Kept> kept) {
    public RejoinState {
        kept = Collections.unmodifiableMap(new LinkedHashMap<>(kept));
    }

    public static RejoinState initial() {
        return new RejoinState(null, null, 0, null, Map.of());
    }

    /** A dataset's part of the running rejoin, ordered to its agent as {@code commandId}. */
    public record Pending(RejoinPlan plan, DatasetName rescue) {
    }

    /** The running rejoin: what it found per dataset, its orders awaiting an answer and the datasets already back. */
    public record Running(ServerId newPrimary, long generation, List<RejoinPlan> plans, Map<UUID, Pending> pending,
                          List<RejoinCompleted.Rejoined> done) {
        public Running {
            plans = List.copyOf(plans);
            pending = Collections.unmodifiableMap(new LinkedHashMap<>(pending));
            done = List.copyOf(done);
        }

        Running answered(UUID commandId, RejoinCompleted.Rejoined back) {
            Map<UUID, Pending> left = new LinkedHashMap<>(pending);
            left.remove(commandId);
            List<RejoinCompleted.Rejoined> now = new ArrayList<>(done);
            now.add(back);
            return new Running(newPrimary, generation, plans, left, now);
        }
    }

    /** A rescue kept of {@code rescuedFrom}; {@code releasing}: the release command awaiting its answer, or null. */
    public record Kept(DatasetName rescuedFrom, long generation, UUID releasing) {
    }

    RejoinState withRunning(Running next) {
        return new RejoinState(service, server, attempts, next, kept);
    }

    RejoinState withKept(DatasetName rescue, Kept k) {
        Map<DatasetName, Kept> copy = new LinkedHashMap<>(kept);
        if (k == null) {
            copy.remove(rescue);
        } else {
            copy.put(rescue, k);
        }
        return new RejoinState(service, server, attempts, running, copy);
    }
}
