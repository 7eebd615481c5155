package io.zsentinel.deploy.agent;

import io.zsentinel.core.messages.agentcommands.AgentCommand;
import io.zsentinel.core.messages.agentcommands.DemoteDataset;
import io.zsentinel.core.messages.agentcommands.DestroySnapshot;
import io.zsentinel.core.messages.agentcommands.HoldSnapshot;
import io.zsentinel.core.messages.agentcommands.ForgetLink;
import io.zsentinel.core.messages.agentcommands.PromoteDataset;
import io.zsentinel.core.messages.agentcommands.RejoinDataset;
import io.zsentinel.core.messages.agentcommands.ReleaseHold;
import io.zsentinel.core.messages.agentcommands.ReleaseRescue;
import io.zsentinel.core.messages.agentcommands.ServiceCommand;
import io.zsentinel.core.messages.agentcommands.RestoreFromSnapshot;
import io.zsentinel.core.messages.agentcommands.RollbackDataset;
import io.zsentinel.core.messages.agentcommands.StartTransfer;
import io.zsentinel.core.messages.agentcommands.TakeSnapshot;
import io.zsentinel.core.messages.facts.AgentFact;
import io.zsentinel.core.messages.facts.CommandCompleted;
import io.zsentinel.core.messages.facts.CommandRejected;
import io.zsentinel.core.messages.facts.SnapshotCreated;
import io.zsentinel.core.messages.facts.SnapshotDestroyed;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.core.zfs.DatasetRole;
import io.zsentinel.core.zfs.SnapshotEntry;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsErrorKind;
import io.zsentinel.core.zfs.ZfsException;
import io.zsentinel.deploy.transfer.TransferExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Executes controller commands on this server and says what happened as a fact. Commands are
 * replayed after a crash, so each is idempotent: taking a snapshot that exists, or destroying one
 * that is gone, reports the outcome instead of failing. A command from an older controller epoch
 * than one already seen is refused (a deposed controller must not act; the epoch is kept in the agent's state
 * directory when it has one, see {@link SeenEpoch}). Rollback and restore cannot
 * be made idempotent by looking at zfs (a second rollback would discard writes made since), so the
 * outcome of recent successful command ids is remembered (in memory, for the life of the process)
 * and a redelivered command gets the same answer.
 */
public final class CommandExecutor {
    private static final Logger log = LoggerFactory.getLogger(CommandExecutor.class);

    private static final int REMEMBERED_OUTCOMES = 1000;

    private final ServerId server;
    private final ZfsDriver zfs;
    private final SnapshotFileRestore restore;
    /** The highest controller epoch seen: on disk when the agent has a state directory. */
    private volatile SeenEpoch epoch = SeenEpoch.inMemory();
    /** Outcomes of recent commands by id: Kafka delivers at least once. */
    private final Map<UUID, AgentFact> outcomes = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, AgentFact> eldest) {
            return size() > REMEMBERED_OUTCOMES;
        }
    };

    private final FreedSpace freedSpace;
    private final RejoinExecution rejoin;
    /** Shared with the lease's self-demotion: a role is read and written as one step. */
    private final RoleChanges roles = new RoleChanges();
    private final TransferExecutor transfers;
    /** The pools this server serves; null: not checked (a test of one pool). */
    private volatile List<PoolName> pools;

    public CommandExecutor(ServerId server, ZfsDriver zfs) {
        this(server, zfs, Path.of(AgentConfig.DEFAULT_RESTORE_DIRECTORY));
    }

    public CommandExecutor(ServerId server, ZfsDriver zfs, Path restoreDirectory) {
        this(server, zfs, restoreDirectory, null);
    }

    /** {@code transfers}: where StartTransfer goes (it runs asynchronously and reports its own facts); null refuses it. */
    public CommandExecutor(ServerId server, ZfsDriver zfs, Path restoreDirectory, TransferExecutor transfers) {
        this.server = server;
        this.transfers = transfers;
        this.zfs = zfs;
        this.restore = new SnapshotFileRestore(zfs, restoreDirectory);
        this.freedSpace = new FreedSpace(zfs);
        this.rejoin = new RejoinExecution(zfs, this::completed, this::reject);
    }

    /**
     * Refuse promotions and demotions of datasets outside {@code pools}: where several servers' pools are visible
     * to one zfs (a lab, a shared JBOD), an order meant for another server's copy must not change it.
     */
    public CommandExecutor ownPools(List<PoolName> pools) {
        this.pools = List.copyOf(pools);
        return this;
    }

    /** Destroys restore clones a killed agent left in {@code pools}; returns them. Call before taking commands. */
    public synchronized List<DatasetName> removeLeftoverRestoreClones(List<PoolName> pools) {
        List<DatasetName> removed = new ArrayList<>();
        for (PoolName pool : pools) {
            removed.addAll(restore.removeLeftoverClones(pool));
        }
        if (!removed.isEmpty()) {
            log.warn("destroyed temporary restore clones left by an earlier agent process: {}", removed);
        }
        return removed;
    }

    /** Keep the highest controller epoch seen in {@code seen} (a file, so a restart still refuses older ones). */
    public CommandExecutor rememberEpochIn(SeenEpoch seen) {
        this.epoch = seen;
        return this;
    }

    public long epoch() {
        return epoch.highest();
    }

    /** The lock every change of a dataset's role on this agent takes; the self-demotion takes it too. */
    RoleChanges roles() {
        return roles;
    }

    /** The fact to report, or empty for a command addressed to another server. */
    public synchronized Optional<AgentFact> execute(AgentCommand command) {
        if (!command.server().equals(server)) {
            return Optional.empty();
        }
        long seen;
        try {
            seen = epoch.observe(command.epoch());
        } catch (java.io.UncheckedIOException e) {
            return Optional.of(reject(command, e.getMessage() + "; nothing was changed"));
        }
        if (command.epoch() < seen) {
            return Optional.of(reject(command, "controller epoch " + command.epoch() + " is older than epoch "
                    + seen + " already seen; a newer controller is active"));
        }
        List<PoolName> own = pools;
        if (command instanceof ServiceCommand c && own != null && !own.contains(c.dataset().pool())) {
            return Optional.of(reject(command, c.dataset() + " is not a dataset of " + server + "'s pools " + own
                    + "; nothing was changed"));
        }
        if (command instanceof StartTransfer c && transfers != null) {
            // never blocks this thread: the transfer reports progress and outcome itself; a repeated
            // transferId is answered by the executor without a second stream
            transfers.start(c);
            return Optional.empty();
        }
        AgentFact remembered = outcomes.get(command.commandId());
        if (remembered != null) {
            log.info("command {} was already carried out; reporting the same outcome again", command.commandId());
            return Optional.of(remembered);
        }
        AgentFact outcome = run(command);
        if (!(outcome instanceof CommandRejected)) {
            outcomes.put(command.commandId(), outcome); // a refused command changed nothing: trying again is safe
        }
        return Optional.of(outcome);
    }

    private AgentFact run(AgentCommand command) {
        try {
            if (command instanceof TakeSnapshot c) {
                return take(c);
            }
            if (command instanceof DestroySnapshot c) {
                return destroy(c);
            }
            if (command instanceof RollbackDataset c) {
                return rollback(c);
            }
            if (command instanceof RestoreFromSnapshot c) {
                return restore(c);
            }
            if (command instanceof HoldSnapshot c) {
                return hold(c);
            }
            if (command instanceof ReleaseHold c) {
                return release(c);
            }
            if (command instanceof PromoteDataset c) {
                return roles.exclusively(() -> promote(c));
            }
            if (command instanceof DemoteDataset c) {
                return roles.exclusively(() -> demote(c));
            }
            if (command instanceof RejoinDataset c) {
                return rejoin.rejoin(c);
            }
            if (command instanceof ReleaseRescue c) {
                return rejoin.release(c);
            }
            if (command instanceof ForgetLink c) {
                int destroyed = transfers == null ? 0 : transfers.forgetLink(c.link(), c.dataset());
                return completed(c, destroyed == 0 ? "no cursor bookmark of link " + c.link() + " on " + c.dataset()
                        : destroyed + " cursor bookmark(s) of link " + c.link() + " destroyed on " + c.dataset());
            }
            return reject(command, "this agent does not know " + command.getClass().getSimpleName());
        } catch (ZfsException e) {
            return reject(command, e.getMessage());
        } catch (SnapshotFileRestore.RestoreRefused e) {
            return reject(command, e.getMessage());
        } catch (RuntimeException e) {
            log.error("command {} failed unexpectedly", command.commandId(), e);
            return reject(command, command.getClass().getSimpleName() + " failed on " + server + ": " + e
                    + "; see the agent's log");
        }
    }

    private AgentFact take(TakeSnapshot c) {
        SnapshotEntry entry;
        try {
            entry = zfs.createSnapshot(c.snapshot());
            log.info("took snapshot {} on command {}", c.snapshot(), c.commandId());
        } catch (ZfsException e) {
            if (e.kind() != ZfsErrorKind.ALREADY_EXISTS) {
                throw e;
            }
            entry = zfs.readSnapshot(c.snapshot()); // a replayed command: report what is there
        }
        return new SnapshotCreated(server, entry.info(), c.commandId());
    }

    private AgentFact destroy(DestroySnapshot c) {
        if (!zfs.snapshotExists(c.snapshot())) {
            return new SnapshotDestroyed(server, c.snapshot(), c.guid(), c.commandId());
        }
        SnapshotEntry entry = zfs.readSnapshot(c.snapshot());
        if (!entry.guid().equals(c.guid())) {
            return reject(c, "snapshot " + c.snapshot() + " now has guid " + entry.guid() + ", not " + c.guid()
                    + " as the controller expected; it is a different snapshot and was left alone");
        }
        PoolName pool = c.snapshot().dataset().pool();
        Optional<Long> allocatedBefore = freedSpace.allocated(pool);
        zfs.destroySnapshot(c.snapshot());
        log.info("destroyed snapshot {} (guid {}) on command {}", c.snapshot(), c.guid(), c.commandId());
        allocatedBefore.ifPresent(before -> freedSpace.await(pool, before, entry.used()));
        return new SnapshotDestroyed(server, c.snapshot(), c.guid(), c.commandId());
    }

    /**
     * Rolls back after reading the dataset's snapshots once: the target must exist, and newer ones
     * are refused unless {@code destroyNewer}, in which case the detail names what was destroyed.
     */
    private AgentFact rollback(RollbackDataset c) {
        SnapshotName target = c.snapshot();
        List<SnapshotEntry> snapshots = zfs.listSnapshots(target.dataset()).stream()
                .filter(s -> s.name().dataset().equals(target.dataset())).toList();
        SnapshotEntry entry = snapshots.stream().filter(s -> s.name().equals(target)).findFirst().orElse(null);
        if (entry == null) {
            return reject(c, "cannot roll back " + target.dataset() + " to " + target + ": the snapshot does not exist on "
                    + server + "; the dataset was not changed; pick a snapshot from the current inventory");
        }
        List<String> newer = snapshots.stream().filter(s -> s.createtxg() > entry.createtxg())
                .map(s -> "@" + s.name().shortName()).toList();
        if (!newer.isEmpty() && !c.destroyNewer()) {
            return reject(c, "cannot roll back " + target.dataset() + " to " + target + ": newer snapshots exist: "
                    + String.join(", ", newer) + "; the dataset was not changed; use --destroy-newer to destroy them "
                    + "with the rollback, or roll back to the newest snapshot");
        }
        zfs.rollback(target, c.destroyNewer());
        log.info("rolled back {} to {} on command {}, destroying {}", target.dataset(), target, c.commandId(), newer);
        return completed(c, "rolled back " + target.dataset() + " to " + target + " (guid " + entry.guid() + "); "
                + (newer.isEmpty() ? "no newer snapshots existed" : "destroyed newer snapshots: " + String.join(", ", newer)));
    }

    /**
     * Promotes after checking the generation the dataset carries (a property, so it holds across agent restarts):
     * older is refused, the same with the dataset already primary is a repeat answered without touching it (a second
     * rollback would discard what clients wrote since), the same with the dataset a replica is refused (it was demoted
     * at that generation), newer (or any, for a dataset without a role yet) rolls back to {@code rollbackTo}, records
     * the generation and makes the dataset writable.
     */
    private AgentFact promote(PromoteDataset c) {
        DatasetRole carried = zfs.role(c.dataset());
        if (c.generation() < carried.generation()) {
            return reject(c, stale(c.dataset(), c.generation(), carried));
        }
        if (c.generation() == carried.generation() && carried.primary()) {
            return completed(c, c.dataset() + " is already the primary of service " + c.service() + " at generation "
                    + c.generation() + "; left as it is");
        }
        if (c.generation() == carried.generation() && carried.generation() > 0) {
            // a replica at this generation was demoted at it (by its lease, or as a former primary): only a newer
            // generation, a failover's or a rejoin's, may make it primary again
            return reject(c, c.dataset() + " is a replica at generation " + carried.generation() + ", demoted at it (its"
                    + " lease ran out, or a failover replaced it): only a newer generation makes it primary again; the"
                    + " dataset was not changed");
        }
        String rolledBack = "";
        if (c.rollbackTo() != null) {
            zfs.rollback(c.rollbackTo(), false); // refused when newer snapshots exist: it must be the newest
            rolledBack = " after a rollback to " + c.rollbackTo();
        }
        zfs.promote(c.dataset(), c.generation(), c.service());
        log.info("promoted {} to primary of service {} at generation {}{} on command {}", c.dataset(), c.service(),
                c.generation(), rolledBack, c.commandId());
        return completed(c, "promoted " + c.dataset() + " to the writable primary of service " + c.service()
                + " at generation " + c.generation() + rolledBack);
    }

    /** Demotes unless the dataset carries a newer generation: read-only first, then the role and the generation. */
    private AgentFact demote(DemoteDataset c) {
        DatasetRole carried = zfs.role(c.dataset());
        if (c.generation() < carried.generation()) {
            return reject(c, stale(c.dataset(), c.generation(), carried));
        }
        zfs.demote(c.dataset(), c.generation());
        log.info("demoted {} to a read-only replica of service {} at generation {} on command {}", c.dataset(),
                c.service(), c.generation(), c.commandId());
        return completed(c, "demoted " + c.dataset() + " to a read-only replica of service " + c.service()
                + " at generation " + c.generation());
    }

    private static String stale(DatasetName dataset, long generation, DatasetRole carried) {
        return "generation " + generation + " is older than generation " + carried.generation() + " that " + dataset
                + " carries (" + (carried.primary() ? "as primary" : "as replica") + "): a newer failover has happened"
                + " since this command was issued; the dataset was not changed";
    }

    private AgentFact restore(RestoreFromSnapshot c) {
        SnapshotFileRestore.Result result = restore.restore(c.snapshot(), c.path(), c.targetDirectory());
        log.info("restored {} from {} to {} on command {}", c.path(), c.snapshot(), result.destination(), c.commandId());
        return completed(c, "restored '" + c.path() + "' from " + c.snapshot() + " to " + result.destination() + ": "
                + result.describe() + "; read " + (result.readInPlace() ? "in place from .zfs/snapshot"
                : "through a temporary read-only clone, destroyed afterwards") + "; the live dataset was not touched");
    }

    private AgentFact hold(HoldSnapshot c) {
        Optional<AgentFact> refused = checkIdentity(c, c.snapshot(), c.guid(), "hold");
        if (refused.isPresent()) {
            return refused.get();
        }
        boolean placed = true;
        try {
            zfs.hold(c.tag(), c.snapshot());
        } catch (ZfsException e) {
            if (e.kind() != ZfsErrorKind.ALREADY_EXISTS) {
                throw e;
            }
            placed = false; // a replay: the hold is there, which is what was asked
        }
        long holds = zfs.readSnapshot(c.snapshot()).userRefs();
        log.info("hold {} on {} on command {} ({})", c.tag(), c.snapshot(), c.commandId(), placed ? "placed" : "already held");
        return completed(c, (placed ? "placed hold '" : "hold '") + c.tag() + (placed ? "' on " : "' was already on ")
                + c.snapshot() + " (guid " + c.guid() + "); it now has " + holds + (holds == 1 ? " hold" : " holds"));
    }

    private AgentFact release(ReleaseHold c) {
        if (!zfs.snapshotExists(c.snapshot())) {
            return completed(c, "snapshot " + c.snapshot() + " no longer exists, so it holds nothing; nothing released");
        }
        Optional<AgentFact> refused = checkIdentity(c, c.snapshot(), c.guid(), "release a hold on");
        if (refused.isPresent()) {
            return refused.get();
        }
        boolean released = true;
        try {
            zfs.release(c.tag(), c.snapshot());
        } catch (ZfsException e) {
            if (e.kind() != ZfsErrorKind.NO_SUCH_HOLD) {
                throw e;
            }
            released = false; // a replay, or never held: the hold is absent, which is what was asked
        }
        long holds = zfs.readSnapshot(c.snapshot()).userRefs();
        log.info("release {} from {} on command {} ({})", c.tag(), c.snapshot(), c.commandId(),
                released ? "released" : "was not held");
        return completed(c, (released ? "released hold '" : "hold '") + c.tag() + (released ? "' from " : "' was not on ")
                + c.snapshot() + " (guid " + c.guid() + "); it now has " + holds + (holds == 1 ? " hold" : " holds"));
    }

    /** Identity is the guid: a snapshot re-created under the same name is another snapshot. */
    private Optional<AgentFact> checkIdentity(AgentCommand c, SnapshotName snapshot, Guid guid, String action) {
        SnapshotEntry entry;
        try {
            entry = zfs.readSnapshot(snapshot);
        } catch (ZfsException e) {
            if (e.kind() != ZfsErrorKind.DATASET_MISSING) {
                throw e;
            }
            return Optional.of(reject(c, "cannot " + action + " " + snapshot + ": it does not exist on " + server
                    + "; the inventory will show the current snapshots, decide again from them"));
        }
        if (!entry.guid().equals(guid)) {
            return Optional.of(reject(c, "cannot " + action + " " + snapshot + ": it now has guid " + entry.guid()
                    + ", not " + guid + " as the controller expected; it is a different snapshot and was left alone"));
        }
        return Optional.empty();
    }

    private CommandCompleted completed(AgentCommand c, String detail) {
        return new CommandCompleted(server, c.commandId(), c.getClass().getSimpleName(), detail, datasetOf(c), serviceOf(c));
    }

    private CommandRejected reject(AgentCommand c, String reason) {
        log.warn("rejected {} {} on {}: {}", c.getClass().getSimpleName(), c.commandId(), server, reason);
        return new CommandRejected(server, c.commandId(), c.getClass().getSimpleName(), reason, datasetOf(c), serviceOf(c));
    }

    /** The service a promotion or demotion was for, so that the controller routes the answer to it. */
    private static String serviceOf(AgentCommand c) {
        return c instanceof ServiceCommand s ? s.service() : null;
    }

    private static io.zsentinel.core.values.DatasetName datasetOf(AgentCommand c) {
        if (c instanceof ServiceCommand s) {
            return s.dataset();
        }
        return c instanceof io.zsentinel.core.messages.agentcommands.SnapshotCommand s ? s.snapshot().dataset() : null;
    }
}
