package io.zsentinel.failover.rejoin;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.RescueNames;
import io.zsentinel.failover.api.BeginRejoin;
import io.zsentinel.failover.api.DatasetRejoinOrdered;
import io.zsentinel.failover.api.DatasetRolledBack;
import io.zsentinel.failover.api.DivergenceKept;
import io.zsentinel.failover.api.RecordRejoinOutcome;
import io.zsentinel.failover.api.RejoinCompleted;
import io.zsentinel.failover.api.RejoinEvent;
import io.zsentinel.failover.api.RejoinFailed;
import io.zsentinel.failover.api.RejoinPlan;
import io.zsentinel.failover.api.RejoinStarted;
import io.zsentinel.failover.api.ReleaseRescueOrder;
import io.zsentinel.failover.api.RescueReleaseOrdered;
import io.zsentinel.failover.api.RescueReleased;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The rules of a rejoin of a former primary to one service (pure: {@code decide(state, command) → events},
 * {@code evolve(state, event) → state}).
 * <ul>
 *   <li>{@link BeginRejoin} is refused, with every reason, while a rejoin runs, when the server is not healthy (its
 *   agent does the work), is the primary, is no former primary of the service, while a failover of the service runs,
 *   or when a dataset has no snapshot in common (by guid) with its copy on the new primary (that needs a full resend,
 *   which a rejoin never does). Otherwise {@link RejoinStarted} and, per dataset, {@link DatasetRejoinOrdered}: with a
 *   rescue name when something may lie after the common snapshot (snapshots after it, or writes the zfs cannot rule
 *   out), without one when nothing can (a switchover's old primary, read-only since its final snapshot).</li>
 *   <li>Each agent's answer: done → {@link DivergenceKept} (if a rescue was named) and {@link DatasetRolledBack}, and
 *   {@link RejoinCompleted} once every dataset is back; refused → {@link RejoinFailed}, which ends the rejoin (nothing
 *   was destroyed; it may be ordered again).</li>
 *   <li>{@link ReleaseRescueOrder}: only a kept rescue, one release at a time → {@link RescueReleaseOrdered}; its
 *   answer → {@link RescueReleased} (a refused release leaves the rescue kept).</li>
 * </ul>
 * Command ids derive from the rejoin, its attempt and the dataset, so deciding again on the same history gives the
 * same events.
 */
public final class RejoinDecider {
    private RejoinDecider() {
    }

    /** Why {@code command} cannot start now (empty: it can): what the dry run shows and a refusal says. */
    public static List<String> refusals(RejoinState state, BeginRejoin c) {
        List<String> reasons = new ArrayList<>();
        String who = c.server() + " (service " + c.service() + ")";
        if (state.running() != null) {
            reasons.add("a rejoin of " + who + " is under way; wait until it completes or fails");
        }
        if (!c.health().equals("healthy")) {
            reasons.add(c.server() + " is " + c.health() + ": its agent does the rejoin, so it must be up and heard"
                    + " (healthy) first");
        }
        if (c.server().equals(c.newPrimary())) {
            reasons.add(c.server() + " is the primary of " + c.service() + ": there is nothing to rejoin");
        } else if (!c.formerPrimary()) {
            reasons.add("no failover or switchover took " + c.service() + " away from " + c.server()
                    + ": there is nothing to rejoin");
        }
        if (c.failoverRunning()) {
            reasons.add("a failover of " + c.service() + " is running; rejoin after it ends");
        }
        if (c.datasets().isEmpty() && reasons.isEmpty()) {
            reasons.add("none of " + c.service() + "'s datasets is known on " + c.server()
                    + " (its inventory); wait for its agent to report it");
        }
        for (RejoinPlan p : c.datasets()) {
            if (p.common() == null) {
                reasons.add(p.dataset() + " on " + c.server() + " has no snapshot in common (by guid) with "
                        + p.copy() + " on " + c.newPrimary() + ": only a full resend could rejoin it, which a rejoin"
                        + " never does; keep or move the dataset yourself, then destroy it so that it is sent whole");
            }
        }
        return reasons;
    }

    public static List<RejoinEvent> decide(RejoinState state, Object command) {
        if (command instanceof BeginRejoin c) {
            return begin(state, c);
        }
        if (command instanceof RecordRejoinOutcome c) {
            return outcome(state, c);
        }
        if (command instanceof ReleaseRescueOrder c) {
            return release(state, c);
        }
        throw new IllegalArgumentException("a rejoin does not take " + command.getClass().getSimpleName());
    }

    private static List<RejoinEvent> begin(RejoinState state, BeginRejoin c) {
        List<String> reasons = refusals(state, c);
        if (!reasons.isEmpty()) {
            throw new RejoinRefused(reasons);
        }
        List<RejoinEvent> events = new ArrayList<>();
        events.add(new RejoinStarted(c.service(), c.server(), c.newPrimary(), c.generation(), c.datasets(), c.by(),
                c.at()));
        int attempt = state.attempts() + 1;
        for (RejoinPlan p : c.datasets()) {
            DatasetName rescue = p.keepsDivergence() ? RescueNames.rescueOf(p.dataset(), c.at()) : null;
            events.add(new DatasetRejoinOrdered(c.service(), c.server(), p.dataset(), p.common().snapshot(),
                    p.common().guid(), rescue, c.generation(), commandId(c.rejoinId(), attempt + "|" + p.dataset()),
                    c.at()));
        }
        return events;
    }

    private static List<RejoinEvent> outcome(RejoinState state, RecordRejoinOutcome c) {
        RejoinState.Running running = state.running();
        if (running != null && running.pending().containsKey(c.commandId())) {
            RejoinState.Pending p = running.pending().get(c.commandId());
            if (!c.succeeded()) {
                return List.of(new RejoinFailed(state.service(), state.server(), c.dataset(), c.detail(), c.at()));
            }
            List<RejoinEvent> events = new ArrayList<>();
            RejoinPlan plan = p.plan();
            if (p.rescue() != null) {
                events.add(new DivergenceKept(state.service(), state.server(), plan.dataset(), p.rescue(),
                        plan.common().snapshot(), plan.after(), plan.bytesAfter(), c.at()));
            }
            events.add(new DatasetRolledBack(state.service(), state.server(), plan.dataset(), plan.common().snapshot(),
                    c.detail(), c.at()));
            if (running.pending().size() == 1) {
                List<RejoinCompleted.Rejoined> all = new ArrayList<>(running.done());
                all.add(new RejoinCompleted.Rejoined(plan.dataset(), plan.copy()));
                events.add(new RejoinCompleted(state.service(), state.server(), running.newPrimary(),
                        running.generation(), all, c.at()));
            }
            return events;
        }
        for (Map.Entry<DatasetName, RejoinState.Kept> k : state.kept().entrySet()) {
            if (c.commandId().equals(k.getValue().releasing())) {
                return List.of(new RescueReleased(state.service(), state.server(), k.getKey(), c.succeeded(),
                        c.detail(), c.at()));
            }
        }
        return List.of(); // late, repeated or unknown: nothing waits for it
    }

    private static List<RejoinEvent> release(RejoinState state, ReleaseRescueOrder c) {
        RejoinState.Kept kept = state.kept().get(c.rescue());
        if (kept == null) {
            throw new RejoinRefused(List.of("no rescue " + c.rescue() + " is kept for " + c.rejoinId()
                    + "; zsentinel rescue list shows what is kept"));
        }
        if (kept.releasing() != null) {
            throw new RejoinRefused(List.of("the release of " + c.rescue() + " is under way; wait for its answer"));
        }
        return List.of(new RescueReleaseOrdered(state.service(), state.server(), c.rescue(), kept.rescuedFrom(),
                kept.generation(), commandId(c.rejoinId(), "release|" + c.rescue() + "|" + c.at()), c.by(), c.at()));
    }

    public static RejoinState evolve(RejoinState state, RejoinEvent event) {
        RejoinState s = state.service() == null
                ? new RejoinState(event.service(), event.server(), 0, null, Map.of()) : state;
        if (event instanceof RejoinStarted e) {
            return new RejoinState(s.service(), s.server(), s.attempts() + 1,
                    new RejoinState.Running(e.newPrimary(), e.generation(), e.datasets(), Map.of(), List.of()), s.kept());
        }
        if (event instanceof DatasetRejoinOrdered e && s.running() != null) {
            RejoinState.Running r = s.running();
            Map<UUID, RejoinState.Pending> pending = new LinkedHashMap<>(r.pending());
            pending.put(e.commandId(), new RejoinState.Pending(planOf(r, e.dataset()), e.rescue()));
            return s.withRunning(new RejoinState.Running(r.newPrimary(), r.generation(), r.plans(), pending, r.done()));
        }
        if (event instanceof DivergenceKept e) {
            long generation = s.running() == null ? 1 : s.running().generation();
            return s.withKept(e.rescue(), new RejoinState.Kept(e.dataset(), generation, null));
        }
        if (event instanceof DatasetRolledBack e && s.running() != null) {
            UUID id = s.running().pending().entrySet().stream()
                    .filter(p -> p.getValue().plan().dataset().equals(e.dataset())).map(Map.Entry::getKey)
                    .findFirst().orElse(null);
            if (id == null) {
                return s;
            }
            RejoinPlan plan = s.running().pending().get(id).plan();
            return s.withRunning(s.running().answered(id, new RejoinCompleted.Rejoined(plan.dataset(), plan.copy())));
        }
        if (event instanceof RejoinCompleted || event instanceof RejoinFailed) {
            return s.withRunning(null);
        }
        if (event instanceof RescueReleaseOrdered e) {
            RejoinState.Kept k = s.kept().get(e.rescue());
            return k == null ? s : s.withKept(e.rescue(), new RejoinState.Kept(k.rescuedFrom(), k.generation(),
                    e.commandId()));
        }
        if (event instanceof RescueReleased e) {
            RejoinState.Kept k = s.kept().get(e.rescue());
            return k == null ? s : s.withKept(e.rescue(), e.released() ? null
                    : new RejoinState.Kept(k.rescuedFrom(), k.generation(), null));
        }
        return s;
    }

    /** The plan {@link RejoinStarted} recorded for {@code dataset}. */
    private static RejoinPlan planOf(RejoinState.Running running, DatasetName dataset) {
        return running.plans().stream().filter(p -> p.dataset().equals(dataset)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no plan for " + dataset + " in the rejoin started"));
    }

    private static UUID commandId(String rejoinId, String what) {
        return UUID.nameUUIDFromBytes((rejoinId + "|" + what).getBytes(StandardCharsets.UTF_8));
    }
}
