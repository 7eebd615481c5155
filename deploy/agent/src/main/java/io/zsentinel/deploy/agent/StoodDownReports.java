package io.zsentinel.deploy.agent;

import io.zsentinel.core.messages.facts.AgentFact;
import io.zsentinel.core.messages.facts.PrimaryStoodDown;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.zfs.StoodDown;
import io.zsentinel.core.zfs.ZfsDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Tells the controller which datasets stand down ({@link ZfsDriver#standDown}: made read-only by this agent when its
 * lease ran out), so that it resumes them as primaries when no failover replaced them: at the first look with the
 * lease held after this agent stood datasets down, at the agent's start, and every {@link #EVERY} while any stands
 * down (a report the controller could not act on, during a failover say, is made again). Read from zfs, so a
 * restarted agent reports what an earlier process stood down. Never on the lease's own thread: a slow zfs must not
 * delay a self-demotion.
 */
final class StoodDownReports {
    private static final Logger log = LoggerFactory.getLogger(StoodDownReports.class);
    /** How often datasets that still stand down are reported again. */
    static final Duration EVERY = Duration.ofMinutes(1);

    private final ServerId server;
    private final ZfsDriver zfs;
    private final Supplier<List<PoolName>> pools;
    private final PrimaryLease lease;
    private final IntSupplier selfDemotions;
    private final Consumer<AgentFact> report;
    private final Clock clock;
    private Instant nextReport = Instant.MIN;
    private int demotionsSeen;
    private List<StoodDown> lastReported = List.of();

    /** {@code selfDemotions}: how many datasets the lease has stood down in this process so far. */
    StoodDownReports(ServerId server, ZfsDriver zfs, Supplier<List<PoolName>> pools, PrimaryLease lease,
                     IntSupplier selfDemotions, Consumer<AgentFact> report, Clock clock) {
        this.server = server;
        this.zfs = zfs;
        this.pools = pools;
        this.lease = lease;
        this.selfDemotions = selfDemotions;
        this.report = report;
        this.clock = clock;
    }

    /** Reports when due and the lease holds (a report sent without Kafka would be lost); returns what it reported. */
    synchronized List<StoodDown> tick() {
        Instant now = clock.instant();
        int demotions = selfDemotions.getAsInt();
        boolean standsDownSinceLastLook = demotions != demotionsSeen;
        if (lease.expired(now) || (!standsDownSinceLastLook && now.isBefore(nextReport))) {
            return List.of();
        }
        List<StoodDown> stoodDown = new ArrayList<>();
        for (PoolName pool : pools.get()) {
            stoodDown.addAll(zfs.stoodDown(pool));
        }
        for (StoodDown s : stoodDown) {
            report.accept(new PrimaryStoodDown(server, s.dataset(), s.service(), s.generation(), now));
        }
        demotionsSeen = demotions;
        nextReport = now.plus(EVERY);
        if (!stoodDown.equals(lastReported) && !stoodDown.isEmpty()) {
            log.info("{} reported datasets that stand down since its lease ran out, for the controller to resume: {}",
                    server, stoodDown);
        }
        lastReported = stoodDown;
        return stoodDown;
    }
}
