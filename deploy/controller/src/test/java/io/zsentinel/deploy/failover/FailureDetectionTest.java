package io.zsentinel.deploy.failover;

import io.zsentinel.core.ManualClock;
import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.DeclareServerFailed;
import io.zsentinel.failover.detect.DetectorSettings;
import io.zsentinel.failover.detect.Evidence;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.failover.detect.Health;
import io.zsentinel.failover.detect.ProbeResult;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the failure-detection ticker sends, tick by tick, on a fixed clock (the detector's defaults: 8 s timeout). */
class FailureDetectionTest {
    private static final ServerId PRIMARY = ServerId.of("primary");
    private static final ServerId STANDBY = ServerId.of("standby");
    private static final Instant T0 = Instant.parse("2026-12-02T08:00:00Z");

    private final ManualClock clock = new ManualClock(T0);
    private final FailureDetector detector = new FailureDetector(DetectorSettings.DEFAULTS);
    private final List<DeclareServerFailed> sent = new ArrayList<>();
    private boolean refusing;
    private boolean connected = true;
    private final FailureDetection detection = new FailureDetection(detector, () -> connected, gateway(), clock);

    private CommandGateway gateway() {
        return (CommandGateway) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{CommandGateway.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sendAndWait") && args.length == 1) {
                        if (refusing) {
                            throw new IllegalStateException("store unreachable");
                        }
                        sent.add((DeclareServerFailed) args[0]);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /**
     * Both heard at T0; then the clock runs on to {@code seconds} after T0, the standby heard and probing every 2 s,
     * the primary not, a tick after each probe.
     */
    private void primarySilentFor(int seconds, boolean standbyReachesIt) {
        detector.heartbeat(PRIMARY, T0);
        detector.heartbeat(STANDBY, T0);
        for (int s = (int) Duration.between(T0, clock.instant()).toSeconds() + 2; s <= seconds; s += 2) {
            clock.set(T0.plusSeconds(s));
            detector.heartbeat(STANDBY, clock.instant());
            detector.probed(new ProbeResult(STANDBY, PRIMARY, standbyReachesIt, clock.instant()));
            detection.tick();
        }
    }

    @Test
    void aSilentServerItsPeerCannotReachIsDeclaredFailedOnceWithItsLastHeartbeat() {
        primarySilentFor(8, false);
        assertEquals(List.of(), sent, "8 s of silence is within the timeout");

        primarySilentFor(10, false);
        assertEquals(1, sent.size(), sent.toString());
        DeclareServerFailed declared = sent.get(0);
        assertEquals(PRIMARY, declared.server());
        assertEquals(Set.of(Evidence.UNREACHABLE_FROM_PEER), declared.evidence());
        assertEquals(T0, declared.lastHeard(), "the lease it may hold runs from its last heartbeat");
        assertEquals(T0.plusSeconds(10), declared.at());
        assertTrue(declared.reason().contains("standby cannot reach it"), declared.reason());

        primarySilentFor(20, false);
        assertEquals(1, sent.size(), "the same outage is declared once, however many ticks find it failed");
    }

    @Test
    void aServerThatCameBackAndFailedAgainIsDeclaredAgain() {
        primarySilentFor(10, false);
        Instant back = T0.plusSeconds(30);
        clock.set(back);
        detector.heartbeat(PRIMARY, back);
        detector.heartbeat(STANDBY, back);
        detection.tick();
        assertEquals(1, sent.size(), "back: nothing to declare");

        clock.set(back.plusSeconds(10));
        detector.heartbeat(STANDBY, clock.instant());
        detector.probed(new ProbeResult(STANDBY, PRIMARY, false, clock.instant()));
        detection.tick();
        assertEquals(2, sent.size(), sent.toString());
        assertEquals(back, sent.get(1).lastHeard());
    }

    @Test
    void aSilentServerItsPeerStillReachesStaysSuspect() {
        primarySilentFor(30, true);
        assertEquals(Health.SUSPECT, detector.verdict(PRIMARY, clock.instant()).health());
        assertEquals(List.of(), sent);
    }

    @Test
    void aPoolLostUnderALiveAgentIsDeclaredAtOnce() {
        detector.heartbeat(PRIMARY, T0);
        detector.heartbeat(STANDBY, T0);
        detector.poolReported(PRIMARY, PoolName.of("primary"), PoolHealth.FAULTED, T0);
        clock.set(T0.plusSeconds(1));
        detection.tick();
        assertEquals(1, sent.size());
        assertEquals(Set.of(Evidence.POOL_FAILED), sent.get(0).evidence());
        assertEquals(T0, sent.get(0).lastHeard());
    }

    @Test
    void aServerWhosePoolIsLostIsDeclaredOnceWhileItsHeartbeatsGoOnAndAgainAfterItWasHealthy() {
        detector.heartbeat(STANDBY, T0);
        for (int s = 0; s <= 10; s++) {
            clock.set(T0.plusSeconds(s));
            detector.heartbeat(PRIMARY, clock.instant());
            detector.poolReported(PRIMARY, PoolName.of("primary"), s < 2 ? PoolHealth.ONLINE : PoolHealth.UNAVAIL,
                    clock.instant());
            detection.tick();
        }
        assertEquals(1, sent.size(), "one outage, however many heartbeats it sends meanwhile: " + sent);
        assertEquals(T0.plusSeconds(2), sent.get(0).lastHeard());

        clock.set(T0.plusSeconds(11));
        detector.heartbeat(PRIMARY, clock.instant());
        detector.poolReported(PRIMARY, PoolName.of("primary"), PoolHealth.ONLINE, clock.instant());
        detection.tick();
        clock.set(T0.plusSeconds(12));
        detector.heartbeat(PRIMARY, clock.instant());
        detector.poolReported(PRIMARY, PoolName.of("primary"), PoolHealth.FAULTED, clock.instant());
        detection.tick();
        assertEquals(2, sent.size(), "healthy in between: a new outage");
        assertEquals(T0.plusSeconds(12), sent.get(1).lastHeard());
    }

    @Test
    void aServerInMaintenanceIsNeverDeclaredFailedUntilItLeavesIt() {
        detector.maintenance(PRIMARY, true);
        primarySilentFor(30, false);
        assertEquals(Health.FAILED, detector.verdict(PRIMARY, clock.instant()).health(), "the verdict stays what it is");
        assertEquals(List.of(), sent);

        detector.maintenance(PRIMARY, false);
        detection.tick();
        assertEquals(1, sent.size(), "out of maintenance and still failed");
    }

    @Test
    void whileTheControllersConsumerCannotReachTheBrokerNobodyIsDeclaredFailed() {
        primarySilentFor(4, false);
        connected = false;
        primarySilentFor(20, false);
        assertEquals(Health.UNKNOWN, detector.verdict(PRIMARY, clock.instant()).health());
        assertEquals(List.of(), sent);

        connected = true;
        primarySilentFor(28, false); // back at 22 s: unknown for the 8 s timeout, while the heartbeats sent meanwhile arrive
        assertEquals(List.of(), sent);
        primarySilentFor(32, false);
        assertEquals(1, sent.size(), sent.toString());
    }

    @Test
    void aConsumerNotConnectedYetAtTheStartIsNoLoss() {
        connected = false;
        detection.tick();
        connected = true;
        primarySilentFor(10, false);
        assertEquals(1, sent.size(), "a start is no outage: judged at once");
    }

    @Test
    void aDeclarationTheStoreRefusedIsSentAgainAtTheNextTick() {
        refusing = true;
        primarySilentFor(10, false);
        assertEquals(List.of(), sent);
        refusing = false;
        detection.tick();
        assertEquals(1, sent.size());
    }
}
