package io.zsentinel.deploy.failover;

import io.zsentinel.core.ManualClock;
import io.zsentinel.core.hooks.HookRunner;
import io.zsentinel.core.values.DatasetGlob;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Hook;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.failover.api.DatasetPromotion;
import io.zsentinel.failover.api.FailoverId;
import io.zsentinel.failover.api.FailoverStarted;
import io.zsentinel.failover.api.HookKind;
import io.zsentinel.failover.api.HookRequested;
import io.zsentinel.failover.api.RecordHookOutcome;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.failover.service.ServiceCatalogue;
import io.zsentinel.failover.service.ServiceDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A service's hooks run as real processes with what happens in their environment, and each request gets one answer. */
class ServiceHooksTest {
    static final Instant T0 = Instant.parse("2026-12-02T07:00:00Z");
    static final ServiceName VM = ServiceName.of("vm-storage");
    static final ServerId PRIMARY = ServerId.of("primary");
    static final ServerId STANDBY = ServerId.of("standby");
    static final FailoverId FAILOVER = new FailoverId(java.util.UUID.fromString("00000000-0000-0000-0000-0000000000f1"));
    static final DatasetName COPY = DatasetName.of("standby/vm1");

    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(T0);
    final List<RecordHookOutcome> answers = new ArrayList<>();
    final List<HookRequested> readFromStore = new ArrayList<>();

    ServiceHooks hooks(Hook fence, Hook promote) {
        ServiceDefinition service = new ServiceDefinition(VM, DatasetGlob.of("primary/vm*"), PRIMARY, List.of(STANDBY),
                null, fence, promote, null);
        return new ServiceHooks(new ServiceCatalogue(List.of(service)), new HookRunner(clock), answers::add,
                request -> {
                    readFromStore.add(request);
                    return Optional.empty();
                }, clock);
    }

    static FailoverStarted started() {
        return new FailoverStarted(VM, FAILOVER, PRIMARY, STANDBY, 2, List.of(new DatasetPromotion(COPY,
                SnapshotName.parse("standby/vm1@zsentinel_frequently_1"))), T0.plusSeconds(20), T0.plusSeconds(300), null, T0);
    }

    static HookRequested request(HookKind kind, ServerId server, Instant at) {
        return new HookRequested(VM, FAILOVER, kind, server, 2, at);
    }

    Hook recording(String file, int exit) {
        return new Hook(List.of("sh", "-c", "env | grep ^ZSENTINEL_ | sort > \"$0\"; exit " + exit,
                dir.resolve(file).toString()), null);
    }

    @Test
    void theFenceHookRunsWithTheFailoversFactsAndItsSuccessIsAnswered() throws IOException {
        ServiceHooks hooks = hooks(recording("fence.env", 0), null);
        hooks.on(started());
        hooks.on(request(HookKind.FENCE, PRIMARY, T0));
        assertEquals(1, answers.size());
        RecordHookOutcome answer = answers.get(0);
        assertTrue(answer.succeeded(), answer.detail());
        assertEquals(new RecordHookOutcome(VM, FAILOVER, HookKind.FENCE, PRIMARY, true, answer.detail(), T0), answer);
        assertEquals(List.of("ZSENTINEL_DATASETS=standby/vm1", "ZSENTINEL_FAILOVER=" + FAILOVER, "ZSENTINEL_GENERATION=2",
                "ZSENTINEL_HOOK=fence", "ZSENTINEL_NEW_PRIMARY=standby", "ZSENTINEL_OLD_PRIMARY=primary",
                "ZSENTINEL_REASON=failover: primary failed", "ZSENTINEL_SERVER=primary", "ZSENTINEL_SERVICE=vm-storage"),
                Files.readAllLines(dir.resolve("fence.env")));
        assertEquals(List.of(), readFromStore, "the start was seen: nothing read from the store");
    }

    @Test
    void aSwitchoversHooksGetItsFactsAndTheOperatorsReason() throws IOException {
        ServiceHooks hooks = hooks(null, recording("promote.env", 0));
        hooks.on(new io.zsentinel.failover.api.SwitchoverStarted(VM, FAILOVER, PRIMARY, STANDBY, 2, List.of(
                new DatasetPromotion(COPY, SnapshotName.parse("standby/vm1@zsentinel-switchover-2"))), T0.plusSeconds(300),
                new io.zsentinel.failover.api.OperatorOrder("bob@ops", "disk firmware"), T0));
        hooks.on(request(HookKind.PROMOTE, STANDBY, T0));
        assertTrue(answers.get(0).succeeded(), answers.get(0).detail());
        assertEquals(List.of("ZSENTINEL_DATASETS=standby/vm1", "ZSENTINEL_FAILOVER=" + FAILOVER, "ZSENTINEL_GENERATION=2",
                "ZSENTINEL_HOOK=promote", "ZSENTINEL_NEW_PRIMARY=standby", "ZSENTINEL_OLD_PRIMARY=primary",
                "ZSENTINEL_REASON=switchover by bob@ops: disk firmware", "ZSENTINEL_SERVER=standby",
                "ZSENTINEL_SERVICE=vm-storage"), Files.readAllLines(dir.resolve("promote.env")));
    }

    @Test
    void aPromoteHookOutsideAFailoverResumesThePrimaryThatStoodDown() throws IOException {
        ServiceHooks hooks = hooks(null, recording("promote.env", 0));
        hooks.on(new HookRequested(VM, null, HookKind.PROMOTE, PRIMARY, 3, T0));
        assertEquals(new RecordHookOutcome(VM, null, HookKind.PROMOTE, PRIMARY, true, answers.get(0).detail(), T0),
                answers.get(0));
        assertEquals(List.of("ZSENTINEL_GENERATION=3", "ZSENTINEL_HOOK=promote", "ZSENTINEL_NEW_PRIMARY=primary",
                "ZSENTINEL_REASON=resume", "ZSENTINEL_SERVER=primary", "ZSENTINEL_SERVICE=vm-storage"),
                Files.readAllLines(dir.resolve("promote.env")));
    }

    @Test
    void aFailingHookIsAnsweredAsAFailureWithItsExitStatus() {
        ServiceHooks hooks = hooks(null, recording("promote.env", 4));
        hooks.on(started());
        hooks.on(request(HookKind.PROMOTE, STANDBY, T0));
        assertFalse(answers.get(0).succeeded());
        assertTrue(answers.get(0).detail().contains("exit status 4"), answers.get(0).detail());
    }

    @Test
    void aControllerWithoutTheLeaseRunsNoHookAndTheRequestIsRetriedByTheNextHolder() {
        ServiceHooks hooks = hooks(recording("fence.env", 0), null).onlyWhile(() -> {
            throw new io.zsentinel.deploy.lease.LeaseKeeper.LeaseLost("not the holder");
        });
        hooks.on(started());
        assertThrows(IllegalStateException.class, () -> hooks.on(request(HookKind.FENCE, PRIMARY, T0)));
        assertEquals(List.of(), answers);
        assertFalse(Files.exists(dir.resolve("fence.env")), "the hook did not run");
    }

    @Test
    void aHookNotConfiguredIsAnsweredAtOnceAsNotConfigured() {
        ServiceHooks hooks = hooks(null, null);
        hooks.on(request(HookKind.FENCE, PRIMARY, T0));
        assertEquals(List.of(new RecordHookOutcome(VM, FAILOVER, HookKind.FENCE, PRIMARY, false,
                "no fence hook configured for service vm-storage", T0)), answers);
        hooks.on(request(HookKind.DEMOTE, PRIMARY, T0));
        assertEquals(new RecordHookOutcome(VM, FAILOVER, HookKind.DEMOTE, PRIMARY, true,
                "no demote hook configured for service vm-storage", T0), answers.get(1), "nothing to stop: a switchover goes on");
    }

    @Test
    void aRequestWhoseStartWasNotSeenReadsItFromTheStore() {
        ServiceHooks hooks = hooks(recording("fence.env", 0), null);
        HookRequested request = request(HookKind.FENCE, PRIMARY, T0);
        hooks.on(request);
        assertEquals(List.of(request), readFromStore);
        assertTrue(answers.get(0).succeeded());
    }

    @Test
    void aRequestOlderThanTheFailoverWindowIsNotRun() {
        ServiceHooks hooks = hooks(recording("fence.env", 0), null);
        clock.advance(ServiceHooks.STALE_AFTER.plus(Duration.ofSeconds(1)));
        hooks.on(request(HookKind.FENCE, PRIMARY, T0));
        assertFalse(answers.get(0).succeeded());
        assertTrue(answers.get(0).detail().startsWith("not run"), answers.get(0).detail());
        assertFalse(Files.exists(dir.resolve("fence.env")), "the hook did not run");
    }

    @Test
    void aServiceNoLongerConfiguredGetsAnAnswerNotAHook() {
        ServiceHooks hooks = new ServiceHooks(ServiceCatalogue.none(), new HookRunner(clock), answers::add,
                r -> Optional.empty(), clock);
        hooks.on(request(HookKind.DEMOTE, PRIMARY, T0));
        assertFalse(answers.get(0).succeeded());
        assertTrue(answers.get(0).detail().contains("no longer configured"), answers.get(0).detail());
    }
}
