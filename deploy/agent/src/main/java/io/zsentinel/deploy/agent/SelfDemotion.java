package io.zsentinel.deploy.agent;

import io.zsentinel.core.hooks.HookRunner;

import io.zsentinel.core.values.Hook;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.zfs.DatasetEntry;
import io.zsentinel.core.zfs.DatasetRole;
import io.zsentinel.core.zfs.ZfsDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A primary that has lost Kafka stops serving on its own: once its {@link PrimaryLease} has expired, every dataset
 * of its pools that carries the primary role is made read-only (its generation kept) and the demote hook runs, once
 * per outage. The controller promotes another server without a confirmed fence only after that lease certainly
 * expired, so a partitioned or paused primary never takes writes beside the new one. The datasets stay read-only
 * when Kafka is back: serving again is the controller's decision (a rejoin). Driven by a thread of its own, never
 * behind a slow scan or a blocked send.
 */
final class SelfDemotion {
    private static final Logger log = LoggerFactory.getLogger(SelfDemotion.class);

    private final ServerId server;
    private final ZfsDriver zfs;
    private final Supplier<List<PoolName>> pools;
    private final PrimaryLease lease;
    private final Hook demoteHook;
    private final HookRunner hooks;
    private final Clock clock;
    private final RoleChanges roles;
    private boolean demotedThisOutage;
    /** A lapse whose demotion failed: looked at again next time. */
    private boolean lapseToRetry;
    private final List<DatasetName> demoted = new ArrayList<>();
    /** The pools imported at the last {@link #lookAtPools()}; null before the first. */
    private Set<PoolName> poolsSeen;

    SelfDemotion(ServerId server, ZfsDriver zfs, Supplier<List<PoolName>> pools, PrimaryLease lease, Hook demoteHook,
                 HookRunner hooks, RoleChanges roles, Clock clock) {
        this.server = server;
        this.zfs = zfs;
        this.pools = pools;
        this.lease = lease;
        this.demoteHook = demoteHook;
        this.hooks = hooks;
        this.roles = roles;
        this.clock = clock;
    }

    /** One look at the lease; demotes when it has expired and this outage has not demoted yet. */
    synchronized void check() {
        Instant now = clock.instant();
        boolean expired = lease.expired(now);
        boolean lapsed = lease.lapsedSinceLastLook() || lapseToRetry;
        lapseToRetry = false;
        if (!expired && (!lapsed || demotedThisOutage)) {
            if (demotedThisOutage) {
                log.info("{} reaches Kafka again; the datasets it demoted stay read-only until the controller decides",
                        server);
                demotedThisOutage = false;
            }
            return; // the lease holds, or the outage that just ended was dealt with while it lasted
        }
        if (demotedThisOutage) {
            return;
        }
        Map<DatasetName, DatasetRole> primaries = primaries();
        Map<DatasetName, Long> demotedNow = new LinkedHashMap<>();
        List<DatasetName> failed = new ArrayList<>();
        for (DatasetName primary : primaries.keySet()) {
            try {
                demoteIfStillPrimary(primary).ifPresent(generation -> demotedNow.put(primary, generation));
            } catch (RuntimeException e) {
                failed.add(primary);
                log.error("{}: could not make {} read-only after losing Kafka: {}; trying again", server, primary,
                        e.getMessage());
            }
        }
        demoted.addAll(demotedNow.keySet());
        if (!failed.isEmpty()) {
            lapseToRetry = lapsed;
            return; // the next look tries again: a primary must not keep serving because one zfs call failed
        }
        demotedThisOutage = true;
        if (demotedNow.isEmpty()) {
            return; // no primary here, or the controller's demotions came first
        }
        if (expired) {
            log.warn("{} has had no heartbeat acknowledged for {} s (lease {} s): made its primary datasets {} read-only",
                    server, Duration.between(lease.renewedAt(), now).toSeconds(), lease.length().toSeconds(),
                    demotedNow.keySet());
        } else {
            log.warn("{}'s lease ({} s) ran out while it was paused or cut off, seen only as it resumed: made its primary"
                    + " datasets {} read-only", server, lease.length().toSeconds(), demotedNow.keySet());
        }
        runDemoteHook(expired ? "lease-expired" : "lease-lapsed", demotedNow);
    }

    /**
     * Read again and demoted under the agent's role lock at the generation it carries now: a demotion the controller
     * ordered in the meantime (a newer generation) is never overwritten with the older one read by the scan.
     */
    private Optional<Long> demoteIfStillPrimary(DatasetName dataset) {
        return roles.exclusively(() -> {
            DatasetRole now = zfs.role(dataset);
            if (!now.primary()) {
                return Optional.empty(); // the controller demoted it first
            }
            zfs.standDown(dataset); // read-only, its generation kept: the controller may resume it
            return Optional.of(now.generation());
        });
    }

    /**
     * One look at which pools are imported: a pool that came back since the last look (imported again under this
     * running agent, after a pool fault or an export) has its primaries stood down at once, as a lease that ran out
     * does, and the demote hook runs ({@code ZSENTINEL_REASON=pool-imported}): while it was gone the controller may
     * have promoted another server, and only the controller says whether the copy serves again (it resumes it when
     * nothing replaced it). The first look only notes the pools there at start (the lease, kept across restarts,
     * decides about those). On the lease's thread, not before each command: it lists the pools every time.
     */
    synchronized void lookAtPools() {
        List<PoolName> now = pools.get();
        Set<PoolName> before = poolsSeen;
        if (before == null) {
            poolsSeen = Set.copyOf(now);
            return;
        }
        List<PoolName> returned = now.stream().filter(pool -> !before.contains(pool)).toList();
        Map<DatasetName, Long> demotedNow = new LinkedHashMap<>();
        boolean failed = false;
        for (PoolName pool : returned) {
            try {
                for (DatasetEntry dataset : zfs.listDatasets(DatasetName.of(pool.value()))) {
                    if (zfs.role(dataset.name()).primary()) {
                        demoteIfStillPrimary(dataset.name()).ifPresent(generation ->
                                demotedNow.put(dataset.name(), generation));
                    }
                }
            } catch (RuntimeException e) {
                failed = true;
                log.error("{}: could not make the primaries of pool {}, imported again, read-only: {}; trying again",
                        server, pool, e.getMessage());
            }
        }
        // after a failure the pools stay "returned" and are looked at again: a primary must not serve because one
        // zfs call failed (the datasets already stood down are passed over then)
        poolsSeen = failed ? before : Set.copyOf(now);
        demoted.addAll(demotedNow.keySet());
        if (demotedNow.isEmpty()) {
            return;
        }
        log.warn("{}: pool(s) {} imported again while this agent ran: made their primary datasets {} read-only until"
                + " the controller decides", server, returned, demotedNow.keySet());
        runDemoteHook("pool-imported", demotedNow);
    }

    /** The demote hook about the datasets just stood down (and the highest generation among them), if configured. */
    private void runDemoteHook(String reason, Map<DatasetName, Long> demotedNow) {
        if (demoteHook != null) {
            hooks.run("demote", demoteHook, Map.of(
                    "ZSENTINEL_REASON", reason,
                    "ZSENTINEL_SERVER", server.value(),
                    "ZSENTINEL_DATASETS", demotedNow.keySet().stream().map(DatasetName::value)
                            .collect(Collectors.joining(" ")),
                    "ZSENTINEL_GENERATION", Long.toString(demotedNow.values().stream()
                            .mapToLong(Long::longValue).max().orElse(0))));
        }
    }

    /** Every dataset this lease demoted so far. */
    synchronized List<DatasetName> demoted() {
        return List.copyOf(demoted);
    }

    /** How many datasets this lease demoted so far. */
    synchronized int demotions() {
        return demoted.size();
    }

    private Map<DatasetName, DatasetRole> primaries() {
        Map<DatasetName, DatasetRole> primaries = new LinkedHashMap<>();
        for (PoolName pool : pools.get()) {
            for (DatasetEntry dataset : zfs.listDatasets(DatasetName.of(pool.value()))) {
                DatasetRole role = zfs.role(dataset.name());
                if (role.primary()) {
                    primaries.put(dataset.name(), role);
                }
            }
        }
        return primaries;
    }
}
