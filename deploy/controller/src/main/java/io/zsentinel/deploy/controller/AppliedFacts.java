package io.zsentinel.deploy.controller;

import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.PoolCondition;
import io.zsentinel.failover.api.RecordHeartbeat;
import io.zsentinel.failover.api.RecordPoolHealth;
import io.zsentinel.replication.api.DatasetCommand;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.ReconcileInventory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this controller's aggregates already hold from the agent facts it applied, so that a command that would
 * change nothing is skipped before the command bus: no aggregate load, no transaction, no database write.
 * Only what the aggregates' rules make certain is skipped:
 * <ul>
 * <li>a heartbeat of a server already registered (the rules record a server once; liveness itself lives in the
 *     failure detector and the fleet view, fed before any command);</li>
 * <li>a pool condition equal to the last one applied for that pool ({@link PoolCondition#differsFrom}, the
 *     rule that decides whether it becomes an event);</li>
 * <li>an inventory that lists the same snapshots (guid, name, holds: what reconciling compares) as the last one
 *     applied to that dataset, when no other command about the dataset was sent since. Only agent facts of the
 *     dataset's own server (one lane, in order) change which snapshots it holds.</li>
 * </ul>
 * Knowledge is taken back before a command is sent and given again only once it was applied, so a failed or
 * uncertain command is never the reason for a skip. Empty at start: the first fact of each kind goes through.
 */
final class AppliedFacts {
    private final boolean skip;
    private final Set<ServerId> registered = ConcurrentHashMap.newKeySet();
    private final Map<String, PoolCondition> pools = new ConcurrentHashMap<>();
    private final Map<DatasetId, ByteBuffer> inventories = new ConcurrentHashMap<>();

    /** {@code skip} false: every command is sent (issue 9's design, kept for the benchmark's "before"). */
    AppliedFacts(boolean skip) {
        this.skip = skip;
    }

    AppliedFacts() {
        this(true);
    }

    /** True when {@code command} would produce no event, given what was applied before. */
    boolean changesNothing(Object command) {
        if (!skip) {
            return false;
        }
        if (command instanceof RecordHeartbeat h) {
            return registered.contains(h.server());
        }
        if (command instanceof RecordPoolHealth p) {
            PoolCondition last = pools.get(poolKey(p));
            return registered.contains(p.server()) && last != null && !p.condition().differsFrom(last);
        }
        if (command instanceof ReconcileInventory r) {
            ByteBuffer last = inventories.get(r.id());
            return last != null && last.equals(digest(r));
        }
        return false;
    }

    /** True when an inventory of {@code dataset} was applied (so its aggregate exists) and nothing was sent since. */
    boolean knowsInventoryOf(DatasetId dataset) {
        return inventories.containsKey(dataset);
    }

    /** Before {@code command} is sent: what it may change is no longer known. */
    void sending(Object command) {
        if (command instanceof DatasetCommand d) {
            inventories.remove(d.id());
        } else if (command instanceof RecordPoolHealth p) {
            pools.remove(poolKey(p));
        }
    }

    /** After {@code command} was applied: the aggregate now holds what it says. */
    void applied(Object command) {
        if (command instanceof RecordHeartbeat h) {
            registered.add(h.server());
        } else if (command instanceof RecordPoolHealth p) {
            registered.add(p.server());
            pools.put(poolKey(p), p.condition());
        } else if (command instanceof ReconcileInventory r) {
            inventories.put(r.id(), digest(r));
        }
    }

    private static String poolKey(RecordPoolHealth p) {
        return p.server().value() + "/" + p.condition().pool().value();
    }

    /** SHA-256 of the inventory's snapshots as reconciling compares them, in guid order: 32 bytes per dataset. */
    private static ByteBuffer digest(ReconcileInventory r) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        r.snapshots().stream().sorted(Comparator.comparingLong(s -> s.guid().bits())).forEach(s -> {
            sha.update(ByteBuffer.allocate(16).putLong(s.guid().bits()).putLong(s.userRefs()).array());
            sha.update(s.name().toString().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        });
        return ByteBuffer.wrap(sha.digest());
    }
}
