package io.zsentinel.deploy.failover;

import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.controller.Ticker;
import io.zsentinel.failover.api.DeclareServerFailed;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.failover.detect.Health;
import io.zsentinel.failover.detect.Verdict;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The controller's clock for failure detection: every second it asks the {@link FailureDetector} for its verdicts
 * and sends {@link DeclareServerFailed} for each server that is failed and not in maintenance; the StorageServer
 * records it once per outage. It also tells the detector whether the controller's own consumer of heartbeats
 * reaches the broker: while it does not, and for a heartbeat timeout after, nobody can be judged (the fleet is
 * unknown, never failed). The rules are the detector's and the aggregate's; this only ticks, reads the clock and
 * sends.
 */
public final class FailureDetection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FailureDetection.class);
    /** How often the verdicts are looked at: detection within the detector's timeout plus a second. */
    public static final Duration EVERY = Duration.ofSeconds(1);

    private final FailureDetector detector;
    private final BooleanSupplier reachesBroker;
    private final CommandGateway commands;
    private final Clock clock;
    /** Servers declared failed in this run and not healthy since, with the last heartbeat they were declared with. */
    private final Map<ServerId, Optional<Instant>> declared = new HashMap<>();
    private final Ticker ticker = new Ticker("failure-detection");
    /** Whether the consumer reached the broker at the last tick; null until it first did (a start is no loss). */
    private Boolean connected;

    /** {@code reachesBroker}: whether the controller's consumer of heartbeats is connected to the broker now. */
    public FailureDetection(FailureDetector detector, BooleanSupplier reachesBroker, CommandGateway commands, Clock clock) {
        this.detector = Objects.requireNonNull(detector, "detector");
        this.reachesBroker = Objects.requireNonNull(reachesBroker, "reachesBroker");
        this.commands = Objects.requireNonNull(commands, "commands");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public FailureDetection start() {
        ticker.every(EVERY, this::tick);
        log.info("failure detection: verdicts looked at every {} s", EVERY.toSeconds());
        return this;
    }

    /** One look at the connection and at every server; public so tests drive time themselves. */
    public synchronized void tick() {
        Instant now = clock.instant();
        watchConnection(now);
        for (Verdict verdict : detector.verdicts(now).values()) {
            if (verdict.health() == Health.FAILED && !verdict.maintenance()) {
                declare(verdict, now);
            } else if (verdict.health() == Health.HEALTHY) {
                declared.remove(verdict.server()); // back: its next failure is a new outage
            }
        }
    }

    private void watchConnection(Instant now) {
        boolean up = reachesBroker.getAsBoolean();
        if (connected == null) {
            if (up) {
                connected = true;
            }
            return;
        }
        if (up != connected) {
            connected = up;
            if (up) {
                detector.connectionRestored(now);
                log.info("the controller's consumer of heartbeats reaches the broker again: servers are judged again"
                        + " once the heartbeats sent meanwhile had time to arrive");
            } else {
                detector.connectionLost(now);
                log.warn("the controller's consumer of heartbeats lost the broker: every server is unknown, none"
                        + " is declared failed, until it is back");
            }
        }
    }

    /**
     * Once per outage in this run: until the server is healthy again (a server whose pool is lost under a live agent
     * stays failed while its heartbeats go on). The aggregate keeps it to once across restarts by the last heartbeat.
     */
    private void declare(Verdict verdict, Instant now) {
        if (declared.containsKey(verdict.server())) {
            return;
        }
        Optional<Instant> lastHeard = Optional.ofNullable(verdict.lastHeartbeat());
        try {
            commands.sendAndWait(new DeclareServerFailed(verdict.server(), verdict.evidence(), verdict.reason(), now,
                    verdict.lastHeartbeat()));
            declared.put(verdict.server(), lastHeard);
            log.warn("server {} declared failed: {}", verdict.server(), verdict.reason());
        } catch (RuntimeException e) {
            log.warn("could not declare server {} failed, the next tick tries again: {}", verdict.server(), e.toString());
        }
    }

    @Override
    public void close() {
        ticker.close();
    }
}
