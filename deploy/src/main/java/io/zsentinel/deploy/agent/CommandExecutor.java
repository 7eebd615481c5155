package io.zsentinel.deploy.agent;

import io.zsentinel.core.messages.agentcommands.AgentCommand;
import io.zsentinel.core.messages.agentcommands.DestroySnapshot;
import io.zsentinel.core.messages.agentcommands.TakeSnapshot;
import io.zsentinel.core.messages.facts.AgentFact;
import io.zsentinel.core.messages.facts.CommandRejected;
import io.zsentinel.core.messages.facts.SnapshotCreated;
import io.zsentinel.core.messages.facts.SnapshotDestroyed;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.zfs.SnapshotEntry;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsErrorKind;
import io.zsentinel.core.zfs.ZfsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Executes controller commands on this server and says what happened as a fact. Commands are
 * replayed after a crash, so each is idempotent: taking a snapshot that exists, or destroying one
 * that is gone, reports the outcome instead of failing. A command from an older controller epoch
 * than one already seen is refused (a deposed controller must not act).
 */
public final class CommandExecutor {
    private static final Logger log = LoggerFactory.getLogger(CommandExecutor.class);

    private final ServerId server;
    private final ZfsDriver zfs;
    private final AtomicLong epoch = new AtomicLong();

    public CommandExecutor(ServerId server, ZfsDriver zfs) {
        this.server = server;
        this.zfs = zfs;
    }

    public long epoch() {
        return epoch.get();
    }

    /** The fact to report, or empty for a command addressed to another server. */
    public Optional<AgentFact> execute(AgentCommand command) {
        if (!command.server().equals(server)) {
            return Optional.empty();
        }
        long seen = epoch.accumulateAndGet(command.epoch(), Math::max);
        if (command.epoch() < seen) {
            return Optional.of(reject(command, "controller epoch " + command.epoch() + " is older than epoch "
                    + seen + " already seen; a newer controller is active"));
        }
        try {
            if (command instanceof TakeSnapshot c) {
                return Optional.of(take(c));
            }
            if (command instanceof DestroySnapshot c) {
                return Optional.of(destroy(c));
            }
            return Optional.of(reject(command, "this agent does not know " + command.getClass().getSimpleName()));
        } catch (ZfsException e) {
            return Optional.of(reject(command, e.getMessage()));
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
        return new SnapshotCreated(server, InventoryScanner.toInfo(entry), c.commandId());
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
        zfs.destroySnapshot(c.snapshot());
        log.info("destroyed snapshot {} (guid {}) on command {}", c.snapshot(), c.guid(), c.commandId());
        return new SnapshotDestroyed(server, c.snapshot(), c.guid(), c.commandId());
    }

    private CommandRejected reject(AgentCommand c, String reason) {
        log.warn("rejected {} {} on {}: {}", c.getClass().getSimpleName(), c.commandId(), server, reason);
        return new CommandRejected(server, c.commandId(), c.getClass().getSimpleName(), reason);
    }
}
