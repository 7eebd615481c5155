package io.zsentinel.deploy.agent;

import io.zsentinel.core.messages.facts.AgentFact;
import io.zsentinel.core.messages.facts.PoolHealthReported;
import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.zfs.PoolEntry;
import io.zsentinel.core.zfs.PoolStatus;
import io.zsentinel.core.zfs.VdevEntry;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsException;
import io.zsentinel.core.zfs.ZfsOutputFormatException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads pool health: one {@code zpool list} for all pools, one {@code zpool status} per watched
 * pool. A report is sent when something changed, and at least every {@link #REFRESH} so a
 * controller that started later learns the state. A watched pool that is not imported is reported
 * UNAVAIL: for the controller, a vanished pool is a failure, not silence.
 */
final class PoolHealthProbe {
    static final Duration REFRESH = Duration.ofSeconds(30);

    private final ServerId server;
    private final ZfsDriver zfs;
    private final Clock clock;
    private final Map<PoolName, PoolHealthReported> last = new HashMap<>();
    private final Map<PoolName, Instant> lastSent = new HashMap<>();
    private Set<PoolName> imported = Set.of();

    PoolHealthProbe(ServerId server, ZfsDriver zfs, Clock clock) {
        this.server = server;
        this.zfs = zfs;
        this.clock = clock;
    }

    /** Pools of {@code watched} that the last {@link #report} found imported. */
    List<PoolName> importedPools(List<PoolName> watched) {
        return watched.stream().filter(imported::contains).toList();
    }

    /** Pools of {@code watched} imported right now (one {@code zpool list}). */
    List<PoolName> importedPoolsNow(List<PoolName> watched) {
        Set<PoolName> now = zfs.listPools().stream().map(PoolEntry::name).collect(Collectors.toSet());
        return watched.stream().filter(now::contains).toList();
    }

    List<AgentFact> report(List<PoolName> watched, boolean force) {
        Instant now = clock.instant();
        Map<PoolName, PoolEntry> pools = zfs.listPools().stream()
                .collect(Collectors.toMap(PoolEntry::name, p -> p));
        imported = pools.keySet();
        List<AgentFact> reports = new ArrayList<>();
        for (PoolName pool : watched) {
            PoolHealthReported report = pools.containsKey(pool) ? read(pools.get(pool), now)
                    : new PoolHealthReported(server, pool, PoolHealth.UNAVAIL, 0, 0, 0, 0, 0, 0,
                    "pool " + pool + " is not imported on " + server, now);
            if (force || changed(report) || lastSent.getOrDefault(pool, Instant.EPOCH).plus(REFRESH).isBefore(now)) {
                reports.add(report);
                last.put(pool, report);
                lastSent.put(pool, now);
            }
        }
        return reports;
    }

    private PoolHealthReported read(PoolEntry entry, Instant now) {
        long read = 0, write = 0, cksum = 0;
        String status = "";
        try {
            PoolStatus s = zfs.poolStatus(entry.name());
            List<VdevEntry> vdevs = s.vdevs();
            for (int i = 0; i < vdevs.size(); i++) {
                // Only devices count: a pool or mirror row repeats errors of the devices below it.
                boolean leaf = i + 1 == vdevs.size() || vdevs.get(i + 1).depth() <= vdevs.get(i).depth();
                if (leaf) {
                    read += vdevs.get(i).readErrors();
                    write += vdevs.get(i).writeErrors();
                    cksum += vdevs.get(i).checksumErrors();
                }
            }
            status = s.status().orElse(s.noKnownDataErrors() ? "" : s.errors());
        } catch (ZfsException | ZfsOutputFormatException e) {
            status = "zpool status failed: " + e.getMessage();
        }
        return new PoolHealthReported(server, entry.name(), entry.health(), entry.capacityPercent(), entry.size(),
                entry.allocated(), read, write, cksum, status, now);
    }

    private boolean changed(PoolHealthReported r) {
        PoolHealthReported before = last.get(r.pool());
        return before == null || before.health() != r.health() || before.capacityPercent() != r.capacityPercent()
                || before.readErrors() != r.readErrors() || before.writeErrors() != r.writeErrors()
                || before.checksumErrors() != r.checksumErrors() || !before.status().equals(r.status());
    }
}
