package io.zsentinel.replication.dataset;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.replication.api.AgentCommandFailed;
import io.zsentinel.replication.api.AgentCommandSucceeded;
import io.zsentinel.replication.api.AssignRetentionPolicy;
import io.zsentinel.replication.api.DatasetCommand;
import io.zsentinel.replication.api.DatasetEvent;
import io.zsentinel.replication.api.DatasetRegistered;
import io.zsentinel.replication.api.EvaluateRetention;
import io.zsentinel.replication.api.OperatorCommand;
import io.zsentinel.replication.api.ProtectSnapshot;
import io.zsentinel.replication.api.ProtectionKind;
import io.zsentinel.replication.api.ProtectionReleased;
import io.zsentinel.replication.api.PruneDecision;
import io.zsentinel.replication.api.PruneForCapacity;
import io.zsentinel.replication.api.ReconcileInventory;
import io.zsentinel.replication.api.RecordCommandOutcome;
import io.zsentinel.replication.api.RecordSnapshotGone;
import io.zsentinel.replication.api.RecordSnapshotTaken;
import io.zsentinel.replication.api.ReleaseProtection;
import io.zsentinel.replication.api.RetentionPolicyChanged;
import io.zsentinel.replication.api.SnapshotProtected;
import io.zsentinel.replication.api.SnapshotRemoved;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Dataset rules as plain functions: {@code decide(state, command) → events} and
 * {@code evolve(state, event) → state}. The rule families live in {@link InventoryRules},
 * {@link RetentionRules} and {@link OperatorRules}; this class routes and folds.
 */
public final class DatasetDecider {
    private DatasetDecider() {
    }

    /** The answer to a capacity prune request, and the events it produced. */
    public record CapacityOutcome(PruneDecision decision, List<DatasetEvent> events) {
    }

    public static List<DatasetEvent> decide(DatasetState state, DatasetCommand command) {
        List<DatasetEvent> events = new ArrayList<>();
        if (!state.registered()) {
            events.add(new DatasetRegistered(command.id(), observedAt(command)));
        }
        if (command instanceof ReconcileInventory c) {
            InventoryRules.reconcile(state, c, events);
        } else if (command instanceof RecordSnapshotTaken c) {
            InventoryRules.record(state, c.snapshot(), c, c.snapshot().created(), events);
        } else if (command instanceof RecordSnapshotGone c) {
            if (state.snapshot(c.guid()).isPresent()) {
                events.add(new SnapshotRemoved(c.id(), c.name(), c.guid(),
                        c.commandId() == null ? "destroyed outside zsentinel" : "destroyed on command " + c.commandId(),
                        c.at()));
            }
        } else if (command instanceof AssignRetentionPolicy c) {
            if (!Objects.equals(state.policy(), c.policy())) {
                events.add(new RetentionPolicyChanged(c.id(), c.policy(), c.at()));
            }
        } else if (command instanceof EvaluateRetention c) {
            RetentionRules.evaluate(state, c, events);
        } else if (command instanceof OperatorCommand c) {
            OperatorRules.decide(state, c, events);
        } else if (command instanceof ProtectSnapshot c) {
            if (state.snapshot(c.guid()).isEmpty()) {
                throw new IllegalArgumentException("cannot protect guid " + c.guid() + ": no such snapshot on " + c.id());
            }
            if (state.holders(c.guid()).get(c.holder()) != c.kind()) {
                events.add(new SnapshotProtected(c.id(), state.snapshot(c.guid()).get().name(), c.guid(), c.holder(),
                        c.kind()));
            }
            if (c.kind() == ProtectionKind.BASE) {
                // a link has one base: its previous one is released here, after the new one is protected and never
                // before (a base that cannot be protected, gone from the source, leaves the previous one held)
                state.protections().forEach((guid, holders) -> {
                    if (!guid.equals(c.guid()) && holders.get(c.holder()) == ProtectionKind.BASE) {
                        events.add(new ProtectionReleased(c.id(), state.snapshot(guid).map(SnapshotInfo::name).orElse(null),
                                guid, c.holder()));
                    }
                });
            }
        } else if (command instanceof ReleaseProtection c) {
            if (state.holders(c.guid()).containsKey(c.holder())) {
                events.add(new ProtectionReleased(c.id(), state.snapshot(c.guid()).map(SnapshotInfo::name).orElse(null),
                        c.guid(), c.holder()));
            }
        } else if (command instanceof RecordCommandOutcome c) {
            if (state.pending().containsKey(c.commandId())) {
                events.add(c.succeeded()
                        ? new AgentCommandSucceeded(c.id(), c.commandId(), c.commandType(), c.detail(), c.at())
                        : new AgentCommandFailed(c.id(), c.commandId(), c.commandType(), c.detail(), c.at()));
            }
        } else if (command instanceof PruneForCapacity) {
            throw new IllegalArgumentException("PruneForCapacity is decided by pruneForCapacity(), which answers");
        } else {
            throw new IllegalArgumentException("unknown dataset command " + command.getClass().getName());
        }
        return events;
    }

    public static CapacityOutcome pruneForCapacity(DatasetState state, PruneForCapacity command) {
        List<DatasetEvent> events = new ArrayList<>();
        if (!state.registered()) {
            return new CapacityOutcome(PruneDecision.refused(command.id() + " is not a known dataset"), events);
        }
        PruneDecision decision = RetentionRules.pruneForCapacity(state, command, events);
        return new CapacityOutcome(decision, events);
    }

    /** One event: a new state; {@code state} is unchanged. */
    public static DatasetState evolve(DatasetState state, DatasetEvent event) {
        return new DatasetEvolution(state).apply(event).state();
    }

    /** A history, folded in place ({@link DatasetEvolution}): linear in its length; {@code state} is unchanged. */
    public static DatasetState evolve(DatasetState state, Iterable<? extends DatasetEvent> events) {
        DatasetEvolution evolution = new DatasetEvolution(state);
        events.forEach(evolution::apply);
        return evolution.state();
    }

    private static Instant observedAt(DatasetCommand command) {
        if (command instanceof ReconcileInventory c) {
            return c.observedAt();
        }
        if (command instanceof RecordSnapshotGone c) {
            return c.at();
        }
        if (command instanceof RecordSnapshotTaken c) {
            return c.snapshot().created();
        }
        if (command instanceof OperatorCommand c) {
            return c.at();
        }
        if (command instanceof AssignRetentionPolicy c) {
            return c.at();
        }
        if (command instanceof EvaluateRetention c) {
            return c.now();
        }
        if (command instanceof RecordCommandOutcome c) {
            return c.at();
        }
        return Instant.EPOCH;
    }
}
